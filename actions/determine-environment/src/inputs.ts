import { InputReader, isPlainObject, type InputGetter, type LineMapEntry } from '@pipeline-actions/kit';
import { CRON_FORM, cronProblem, normaliseCron } from './cron.js';
import { globToRegExp } from './glob.js';

/** One `KEY => ENVIRONMENT` line of `schedules`, `branches` or `tags`. */
export interface Rule {
  /** The left side as written (a cron or a glob). */
  pattern: string;
  environment: string;
  line: number;
}

export interface ScheduleRule extends Rule {
  /** The cron in the form it is compared in (see normaliseCron). */
  cron: string;
}

export interface GlobRule extends Rule {
  regexp: RegExp;
}

export type EnvironmentValues = Record<string, Record<string, unknown>>;

export interface Inputs {
  environment: string;
  schedules: ScheduleRule[];
  branches: GlobRule[];
  tags: GlobRule[];
  pullRequest: string;
  allowed: string[];
  default: string;
  values: EnvironmentValues;
  commands: string[];
  commandPrefix: string;
  driftCheck: boolean;
}

/** Letters, digits, space, '.', '_' and '-': nothing a shell or an expression would interpret. */
export const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,254}$/;
export const ENVIRONMENT_FORM = "a name of letters, digits, '.', '_', '-' or spaces";
const COMMAND_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

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

  const globRules = (input: 'branches' | 'tags', entries: LineMapEntry[], prefix: string): GlobRule[] => {
    const rules: GlobRule[] = [];
    for (const entry of entries) {
      ruleTarget(input, entry);
      const pattern = entry.key.startsWith(prefix) ? entry.key.slice(prefix.length) : entry.key;
      if (/\s/.test(pattern) || pattern === '') {
        reader.fail(
          input,
          `line ${entry.line} glob '${entry.key}' is not a ref glob: expected a name without spaces, with '*' and '**' wildcards.`,
        );
        continue;
      }
      const twin = rules.find((r) => r.pattern === pattern);
      if (twin) {
        reader.fail(input, `line ${entry.line} maps glob '${pattern}' again (first on line ${twin.line}): expected each glob once.`);
        continue;
      }
      rules.push({ pattern, environment: entry.value, line: entry.line, regexp: globToRegExp(pattern) });
    }
    return rules;
  };
  const branches = globRules('branches', reader.lineMap('branches', '=>', { form: 'GLOB => ENVIRONMENT' }), 'refs/heads/');
  const tags = globRules('tags', reader.lineMap('tags', '=>', { form: 'GLOB => ENVIRONMENT' }), 'refs/tags/');

  const values: EnvironmentValues = {};
  for (const [name, value] of Object.entries(reader.yamlMapping('values'))) {
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
  const commands: string[] = [];
  for (const item of reader.list('commands')) {
    const name = item.startsWith(commandPrefix) ? item.slice(commandPrefix.length) : item;
    if (!COMMAND_NAME.test(name)) {
      reader.fail('commands', `'${item}' is not a command name: expected words of letters, digits, '-' or '_', such as 'plan, apply'.`);
    } else if (!commands.includes(name.toLowerCase())) {
      commands.push(name.toLowerCase());
    }
  }

  const driftCheck = reader.boolean('drift-check', { default: true });
  reader.done();
  return { environment, schedules, branches, tags, pullRequest, allowed, default: fallback, values, commands, commandPrefix, driftCheck };
}
