import { InputReader, isPlainObject, type InputGetter, type LineMapEntry } from '@pipeline-actions/kit';
import { parse as parseYaml } from 'yaml';
import { COMMAND_NAME, SAFE_ARG, SAFE_ARG_FORM, type CommandGrammar } from './command.js';
import { CRON_FORM, cronProblem, normaliseCron } from './cron.js';
import { PERMISSION_LEVELS, type PermissionLevel } from './gate.js';
import { parseRequirement, type Requirements } from './requires.js';
import { parseGlobRules, type GlobRule, type Rule } from './rules.js';

export type { GlobRule, Rule } from './rules.js';

export interface ScheduleRule extends Rule {
  /** The cron in the form it is compared in (see normaliseCron). */
  cron: string;
}

export type EnvironmentValues = Record<string, Record<string, unknown>>;
export type DriftCheck = 'auto' | 'require' | 'off';

export interface Inputs {
  environment: string;
  schedules: ScheduleRule[];
  branches: GlobRule[];
  tags: GlobRule[];
  pullRequest: string;
  allowed: string[];
  default: string;
  values: EnvironmentValues;
  /** Each slash command with its allowed argument lists (undefined: any safe arguments). Empty: no routing. */
  commands: CommandGrammar;
  commandPrefix: string;
  refuseUnknown: 'notice' | 'fail';
  allowedPermission: PermissionLevel | 'none';
  forks: 'refuse' | 'allow';
  refusalReaction: '-1' | 'none';
  requires: Requirements;
  driftCheck: DriftCheck;
  /** The event to resolve as (`workflow_call` in a reusable workflow); '' = GITHUB_EVENT_NAME. */
  event: string;
  /** The run's inputs (`${{ toJSON(inputs) }}`), for `requires`; undefined = the payload's. */
  runInputs?: Record<string, unknown>;
  token: string;
}

/** Letters, digits, space, '.', '_' and '-': nothing a shell or an expression would interpret. */
export const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,254}$/;
export const ENVIRONMENT_FORM = "a name of letters, digits, '.', '_', '-' or spaces";

export function getInputs(get?: InputGetter): Inputs {
  const reader = new InputReader(get);
  const allowed = reader.list('allowed');
  for (const name of allowed) {
    if (!ENVIRONMENT_NAME.test(name)) reader.fail('allowed', `'${name}' is not a valid environment name: expected ${ENVIRONMENT_FORM}.`);
  }
  const checkName = (input: string, name: string, where = ''): void => {
    if (!ENVIRONMENT_NAME.test(name)) {
      reader.fail(input, `${where}'${name}' is not a valid environment name: expected ${ENVIRONMENT_FORM}.`);
    } else if (allowed.length > 0 && !allowed.includes(name)) {
      reader.fail(input, `${where}'${name}' is not one of the allowed environments: ${allowed.join(', ')}.`);
    }
  };

  const environment = reader.string('environment');
  if (environment) checkName('environment', environment);
  const pullRequest = reader.string('pull-request');
  if (pullRequest) checkName('pull-request', pullRequest);
  const fallback = reader.string('default');
  if (fallback) checkName('default', fallback);

  const ruleTarget = (input: string, entry: LineMapEntry): void => {
    const where = `line ${entry.line} '${entry.key} => ${entry.value}': `;
    if (entry.value === '') {
      reader.fail(input, `${where}has no environment after '=>': expected ${input === 'schedules' ? 'CRON' : 'GLOB'} => ENVIRONMENT.`);
    } else {
      checkName(input, entry.value, where);
    }
  };

  const schedules: ScheduleRule[] = [];
  for (const entry of reader.lineMap('schedules', '=>', { form: 'CRON => ENVIRONMENT' })) {
    ruleTarget('schedules', entry);
    const problem = cronProblem(entry.key);
    if (problem) {
      reader.fail('schedules', `line ${entry.line} has an invalid cron '${entry.key}' (${problem}): expected ${CRON_FORM}.`);
      continue;
    }
    const cron = normaliseCron(entry.key);
    const twin = schedules.find((s) => s.cron === cron);
    if (twin) {
      reader.fail('schedules', `line ${entry.line} maps cron '${entry.key}' again (first on line ${twin.line}): expected each cron once.`);
      continue;
    }
    schedules.push({ pattern: entry.key, environment: entry.value, line: entry.line, cron });
  }

  const globRules = (input: 'branches' | 'tags', text: string, prefix: string): GlobRule[] =>
    parseGlobRules(
      text,
      prefix,
      (problem) => reader.fail(input, problem),
      (environment, where) => checkName(input, environment, where),
    );
  const branches = globRules('branches', reader.raw('branches'), 'refs/heads/');
  const tags = globRules('tags', reader.raw('tags'), 'refs/tags/');

  const values: EnvironmentValues = {};
  for (const [name, value] of Object.entries(yamlInput(reader, 'values', reader.raw('values')))) {
    if (allowed.length > 0 && !allowed.includes(name)) {
      reader.fail(
        'values',
        `has an entry for '${name}', which is not in 'allowed' (${allowed.join(', ')}): expected environments from 'allowed' as keys.`,
      );
    } else if (value === null || value === undefined) {
      values[name] = {};
    } else if (!isPlainObject(value)) {
      reader.fail(
        'values',
        `entry '${name}' is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}, not a mapping: expected '${name}: {key: value}'.`,
      );
    } else {
      values[name] = value;
    }
  }

  const commandPrefix = reader.string('command-prefix', { default: '/' });
  if (/\s/.test(commandPrefix))
    reader.fail('command-prefix', `'${commandPrefix}' contains whitespace: expected a short prefix such as '/'.`);
  const commands = parseCommands(reader, commandPrefix);
  const refuseUnknown = reader.enumeration('refuse-unknown', ['notice', 'fail'] as const, { default: 'notice' });
  const allowedPermission = reader.enumeration('allowed-permission', [...PERMISSION_LEVELS, 'none'] as const, { default: 'write' });
  const forks = reader.enumeration('forks', ['refuse', 'allow'] as const, { default: 'refuse' });
  const refusalReaction = reader.enumeration('refusal-reaction', ['-1', 'none'] as const, { default: '-1' });

  const requires: Requirements = {};
  for (const [name, entry] of Object.entries(yamlInput(reader, 'requires', reader.raw('requires')))) {
    if (!ENVIRONMENT_NAME.test(name)) {
      reader.fail('requires', `has an entry for '${name}', which is not a valid environment name: expected ${ENVIRONMENT_FORM}.`);
    } else if (allowed.length > 0 && !allowed.includes(name)) {
      reader.fail('requires', `has an entry for '${name}', which is not one of the allowed environments: ${allowed.join(', ')}.`);
    }
    requires[name] = parseRequirement(name, entry, (problem) => reader.fail('requires', problem));
  }

  const driftCheck = reader.enumeration('drift-check', ['auto', 'require', 'off'] as const, {
    default: 'auto',
    aliases: { true: 'auto', True: 'auto', TRUE: 'auto', false: 'off', False: 'off', FALSE: 'off' },
  });
  const event = reader.string('event', { pattern: /^[a-z_]{1,64}$/, form: "a GitHub event name such as 'workflow_call'" });
  let runInputs: Record<string, unknown> | undefined;
  // `${{ toJSON(inputs) }}` is 'null' on a run without inputs.
  if (reader.raw('inputs') !== '' && reader.raw('inputs') !== 'null') {
    runInputs = yamlInput(reader, 'inputs', reader.raw('inputs'));
  }
  const token = reader.secret('token');
  reader.done();
  return {
    environment,
    schedules,
    branches,
    tags,
    pullRequest,
    allowed,
    default: fallback,
    values,
    commands,
    commandPrefix,
    refuseUnknown,
    allowedPermission,
    forks,
    refusalReaction,
    requires,
    driftCheck,
    event,
    runInputs,
    token,
  };
}

/** A YAML (or JSON) mapping with merge keys (`<<: *base`) and anchors resolved. Empty gives `{}`. */
function yamlInput(reader: InputReader, name: string, value: string): Record<string, unknown> {
  if (value === '') return {};
  let parsed: unknown;
  try {
    parsed = parseYaml(value, { merge: true, maxAliasCount: 1000 });
  } catch (error) {
    reader.fail(name, `is not valid YAML (${(error as Error).message.split('\n')[0]}): expected a mapping such as '{key: value}'.`);
    return {};
  }
  if (!isPlainObject(parsed)) {
    reader.fail(name, `is not a mapping: expected a YAML mapping such as '{key: value}'.`);
    return {};
  }
  return parsed;
}

const COMMANDS_FORM =
  "a list ('plan, apply') or a YAML mapping of each command to its argument lists ('{plan: [[], [platform]], apply: [[]]}')";

/** `plan, apply` (any safe arguments) or `{plan: [[], [platform]], apply: [[]]}` (exactly these forms). */
function parseCommands(reader: InputReader, prefix: string): CommandGrammar {
  const grammar: CommandGrammar = new Map();
  const raw = reader.raw('commands');
  if (raw === '') return grammar;
  let parsed: unknown;
  try {
    parsed = parseYaml(raw, { merge: true });
  } catch {
    parsed = undefined;
  }
  const addName = (item: string): string | undefined => {
    const name = item.startsWith(prefix) ? item.slice(prefix.length) : item;
    if (!COMMAND_NAME.test(name)) {
      reader.fail('commands', `'${item}' is not a command name: expected words of letters, digits, '-' or '_': ${COMMANDS_FORM}.`);
      return undefined;
    }
    return name.toLowerCase();
  };
  if (!isPlainObject(parsed)) {
    const items = Array.isArray(parsed) ? parsed.map(String) : reader.list('commands');
    for (const item of items) {
      const name = addName(item.trim());
      if (name && !grammar.has(name)) grammar.set(name, undefined);
    }
    return grammar;
  }
  for (const [key, forms] of Object.entries(parsed)) {
    const name = addName(key);
    if (!name) continue;
    if (forms === null || forms === undefined) {
      grammar.set(name, [[]]);
      continue;
    }
    if (!Array.isArray(forms) || forms.length === 0) {
      reader.fail(
        'commands',
        `'${key}' has ${JSON.stringify(forms)}: expected a list of argument lists, e.g. '${key}: [[], [platform]]' ([[]] = no arguments).`,
      );
      continue;
    }
    const lists: string[][] = [];
    for (const form of forms) {
      const words = typeof form === 'string' ? form.split(/\s+/).filter(Boolean) : form;
      const bad = Array.isArray(words) ? words.find((w) => typeof w !== 'string' || !SAFE_ARG.test(w)) : form;
      if (!Array.isArray(words) || bad !== undefined) {
        reader.fail(
          'commands',
          `'${key}' allows ${JSON.stringify(form)}, which is not a list of arguments: arguments are ${SAFE_ARG_FORM}.`,
        );
        continue;
      }
      lists.push(words as string[]);
    }
    grammar.set(name, lists);
  }
  return grammar;
}
