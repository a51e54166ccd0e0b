// The public contract of each of our actions, read from actions/<name>/action.yml.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** The actions the reference workflows chain; a missing one is a failure, not a skip. */
export const OUR_ACTIONS = [
  'determine-environment',
  'validate-batch',
  'ssh-tunnel',
  'dashboard-update',
  'promote-artifact',
  'notify-slack',
  'dispatch-workflow',
] as const;

export interface InputContract {
  required: boolean;
  default?: string;
}

export interface ActionContract {
  name: string;
  inputs: Map<string, InputContract>;
  outputs: Set<string>;
}

/** Contracts by action name; `undefined` marks an action whose action.yml is missing or unreadable. */
export type ContractMap = Map<string, ActionContract | undefined>;

/** Parses action.yml text; throws with the reason when it is not an action metadata file. */
export function parseActionMetadata(name: string, text: string): ActionContract {
  const data = parse(text) as Record<string, unknown> | null;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error(`action.yml of ${name} is not a mapping`);
  const inputs = new Map<string, InputContract>();
  for (const [key, value] of Object.entries((data.inputs ?? {}) as Record<string, Record<string, unknown> | null>)) {
    const spec = value ?? {};
    inputs.set(key, {
      required: spec.required === true || spec.required === 'true',
      default: spec.default === undefined || spec.default === null ? undefined : String(spec.default),
    });
  }
  const outputs = new Set(Object.keys((data.outputs ?? {}) as Record<string, unknown>));
  return { name, inputs, outputs };
}

/** An input the caller must give: required and without a default. */
export function isMandatory(input: InputContract): boolean {
  return input.required && input.default === undefined;
}

/** Reads actions/<name>/action.yml for our actions and any other action folder present. */
export function loadContracts(repoRoot: string): ContractMap {
  const contracts: ContractMap = new Map();
  const dir = path.join(repoRoot, 'actions');
  const present = existsSync(dir) ? readdirSync(dir).filter((entry) => existsSync(path.join(dir, entry, 'action.yml'))) : [];
  for (const name of new Set<string>([...OUR_ACTIONS, ...present])) {
    const file = path.join(dir, name, 'action.yml');
    if (!existsSync(file)) {
      contracts.set(name, undefined);
      continue;
    }
    try {
      contracts.set(name, parseActionMetadata(name, readFileSync(file, 'utf8')));
    } catch {
      contracts.set(name, undefined);
    }
  }
  return contracts;
}
