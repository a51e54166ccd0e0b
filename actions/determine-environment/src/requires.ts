import { isPlainObject } from '@pipeline-actions/kit';
import { shown } from './command.js';
import { globMatcher, globProblem, type Matcher } from './glob.js';

/** What one environment needs before it may run (the `requires` input). */
export interface Requirement {
  /** Inputs (`allocator_version`) or payload fields (`client_payload.version`) that must be non-empty. */
  inputs: { name: string; pattern?: RegExp }[];
  /** Refs it may run from: `refs/heads/main`, or globs; a pattern without `refs/` is matched against the ref name. */
  refs: { pattern: string; matches: Matcher }[];
}

export type Requirements = Record<string, Requirement>;

const ITEM_NAME = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;
/** Values longer than this are refused before a pattern sees them. */
const MAX_VALUE = 1024;

/** Parses one environment's entry; each problem goes to `fail` as a sentence. */
export function parseRequirement(environment: string, entry: unknown, fail: (problem: string) => void): Requirement {
  const requirement: Requirement = { inputs: [], refs: [] };
  const form = `'${environment}: {inputs: [name, ...] or {name: pattern}, refs: [refs/heads/main, ...]}'`;
  if (!isPlainObject(entry)) {
    fail(`'${environment}' is not a mapping: expected ${form}.`);
    return requirement;
  }
  for (const key of Object.keys(entry)) {
    if (key !== 'inputs' && key !== 'refs') fail(`'${environment}' has an unknown key '${key}': expected ${form}.`);
  }
  const addInput = (name: unknown, pattern: unknown): void => {
    if (typeof name !== 'string' || !ITEM_NAME.test(name)) {
      fail(
        `'${environment}.inputs' has ${JSON.stringify(name)}, which is not an input name or a payload path such as 'client_payload.version'.`,
      );
      return;
    }
    if (pattern === null || pattern === undefined || pattern === '') {
      requirement.inputs.push({ name });
      return;
    }
    if (typeof pattern !== 'string') {
      fail(
        `'${environment}.inputs.${name}' has a pattern that is not a string: expected a regular expression such as '^\\d+\\.\\d+\\.\\d+$'.`,
      );
      return;
    }
    try {
      requirement.inputs.push({ name, pattern: new RegExp(pattern) });
    } catch (error) {
      fail(`'${environment}.inputs.${name}' pattern '${pattern}' is not a regular expression (${(error as Error).message}).`);
    }
  };
  const inputs = entry.inputs;
  if (Array.isArray(inputs)) {
    for (const item of inputs) {
      if (isPlainObject(item) && Object.keys(item).length === 1) addInput(Object.keys(item)[0], Object.values(item)[0]);
      else addInput(item, undefined);
    }
  } else if (isPlainObject(inputs)) {
    for (const [name, pattern] of Object.entries(inputs)) addInput(name, pattern);
  } else if (inputs !== undefined && inputs !== null) {
    fail(`'${environment}.inputs' is not a list or a mapping: expected ${form}.`);
  }
  const refs = entry.refs;
  const refList = typeof refs === 'string' ? [refs] : refs;
  if (Array.isArray(refList)) {
    for (const pattern of refList) {
      const problem = typeof pattern === 'string' && pattern.trim() !== '' ? globProblem(pattern) : 'not a non-empty string';
      if (problem) fail(`'${environment}.refs' has ${JSON.stringify(pattern)}, which is not a ref pattern (${problem}).`);
      else requirement.refs.push({ pattern: pattern as string, matches: globMatcher(pattern as string) });
    }
  } else if (refList !== undefined && refList !== null) {
    fail(`'${environment}.refs' is not a list: expected ${form}.`);
  }
  return requirement;
}

/** Where a requirement's values come from and how a user supplies them, for the error text. */
export interface RequirementContext {
  eventName: string;
  ref: string;
  payload: Record<string, unknown>;
  /** The `inputs` input (`${{ toJSON(inputs) }}`), else undefined. */
  inputs?: Record<string, unknown>;
  /** The workflow file name (`image-build.yml`), for the `gh workflow run` hint. */
  workflowFile: string;
  repository: string;
}

function lookup(name: string, ctx: RequirementContext): unknown {
  if (name.includes('.')) {
    let value: unknown = ctx.payload;
    for (const part of name.split('.')) value = isPlainObject(value) ? value[part] : undefined;
    return value;
  }
  for (const source of [ctx.inputs, ctx.payload.inputs, ctx.payload.client_payload]) {
    if (isPlainObject(source) && source[name] !== undefined && source[name] !== null && source[name] !== '') return source[name];
  }
  return undefined;
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** `gh workflow run image-build.yml --ref main -f environment=prod -f allocator_version=...` and its kin. */
function howToProvide(name: string, environment: string, ctx: RequirementContext, refName?: string): string {
  if (name.includes('.')) return `send the event with the payload field '${name}' set`;
  if (ctx.eventName === 'repository_dispatch') {
    return `send it in client_payload: gh api repos/${ctx.repository || 'OWNER/REPO'}/dispatches -f event_type=${shown(asText(ctx.payload.action)) || 'EVENT'} -f 'client_payload[environment]=${environment}' -f 'client_payload[${name}]=...'`;
  }
  const ref = refName ? ` --ref ${refName}` : '';
  return `gh workflow run ${ctx.workflowFile || 'WORKFLOW.yml'}${ref} -f environment=${environment} -f ${name}=...`;
}

/** One sentence per missing or invalid item; empty when the environment may run. */
export function requirementProblems(environment: string, requirement: Requirement | undefined, ctx: RequirementContext): string[] {
  if (!requirement) return [];
  const problems: string[] = [];
  const refName = ctx.ref.replace(/^refs\/(heads|tags)\//, '');
  const allowedRefs = requirement.refs.map((r) => r.pattern).join(', ');
  const refOk = requirement.refs.length === 0 || requirement.refs.some((r) => r.matches(r.pattern.startsWith('refs/') ? ctx.ref : refName));
  const firstBranch = requirement.refs.map((r) => r.pattern).find((p) => /^refs\/heads\/[^*?[{]+$/.test(p));
  const suggestedRef = firstBranch?.replace(/^refs\/heads\//, '');
  for (const item of requirement.inputs) {
    const value = asText(lookup(item.name, ctx));
    const how = howToProvide(item.name, environment, ctx, suggestedRef);
    if (value === '') {
      problems.push(`Environment '${environment}' requires '${item.name}', which is empty: provide it, e.g. ${how}.`);
    } else if (item.pattern && (value.length > MAX_VALUE || !item.pattern.test(value))) {
      problems.push(
        `Environment '${environment}' requires '${item.name}' to match ${item.pattern.source}, and '${shown(value)}' does not: provide a matching value, e.g. ${how}.`,
      );
    }
  }
  if (!refOk) {
    problems.push(
      `Environment '${environment}' may run only from ${allowedRefs}, and this run is on '${shown(ctx.ref, 120)}': run it from an allowed ref${suggestedRef && ctx.eventName !== 'repository_dispatch' ? `, e.g. gh workflow run ${ctx.workflowFile || 'WORKFLOW.yml'} --ref ${suggestedRef} -f environment=${environment}` : ''}.`,
    );
  }
  return problems;
}
