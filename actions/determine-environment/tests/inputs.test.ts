import { describe, expect, it } from '@jest/globals';
import { InputErrors } from '@pipeline-actions/kit';
import { inputsFrom } from './fixtures.js';

/** The messages getInputs reports, one per problem. */
function problems(values: Record<string, string>): string[] {
  try {
    inputsFrom(values);
  } catch (error) {
    if (error instanceof InputErrors) return error.errors.map((e) => e.message);
    throw error;
  }
  return [];
}

describe('input checks', () => {
  it('accepts the REDCap mapping with comments and blank lines', () => {
    const inputs = inputsFrom({ schedules: '# nightly\n0 2 * * * => production\n\n0 */6 * * * => qa', allowed: 'qa\nproduction' });
    expect(inputs.schedules.map((s) => [s.cron, s.environment, s.line])).toEqual([
      ['0 2 * * *', 'production', 2],
      ['0 */6 * * *', 'qa', 4],
    ]);
    expect(inputs.allowed).toEqual(['qa', 'production']);
  });

  it('names the input and the form for a mapping line without =>', () => {
    expect(problems({ branches: 'main -> dev' })).toEqual([
      "Input 'branches': line 1 'main -> dev' has no '=>': expected one 'GLOB => ENVIRONMENT' or '!GLOB' a line.",
    ]);
  });

  it('rejects a line with no environment after =>', () => {
    expect(problems({ tags: 'v* =>' })).toEqual([
      "Input 'tags': line 1 'v* => ': has no environment after '=>': expected GLOB => ENVIRONMENT.",
    ]);
  });

  it.each([
    ['0 2 * *', 'has 4 fields'],
    ['0 25 * * *', 'hour 25 is out of range 0-23'],
    ['60 * * * *', 'minute 60 is out of range 0-59'],
    ['0 0 0 * *', 'day of month 0 is out of range 1-31'],
    ['0 0 * 13 *', 'month 13 is out of range 1-12'],
    ['0 0 * * 7', 'day of week 7 is out of range 0-6'],
    ['*/0 * * * *', 'minute step 0 is out of range 1-59'],
    ['0 0 * * FUN', "day of week 'FUN' is not a number 0-6 or a name SUN-SAT"],
    ['0 5-2 * * *', "hour range '5-2' runs backwards"],
    ['0 1,,2 * * *', "hour '1,,2' has an empty list item"],
    ['@daily', 'has 1 field'],
  ])("rejects the cron '%s' (%s)", (cron, problem) => {
    expect(problems({ schedules: `${cron} => qa` })).toEqual([
      `Input 'schedules': line 1 has an invalid cron '${cron}' (${problem}): expected five fields 'minute hour day-of-month month day-of-week', e.g. '0 2 * * *'.`,
    ]);
  });

  it.each(['*/15 * * * *', '0 9-17/2 * * MON-FRI', '30 4 1,15 JAN,jul *', '0 0 31 * *', '5 4 * * sun'])("accepts the cron '%s'", (cron) => {
    expect(problems({ schedules: `${cron} => qa` })).toEqual([]);
  });

  it('rejects the same cron mapped twice, even with other spacing', () => {
    expect(problems({ schedules: '0 2 * * * => production\n0  2 * * * => qa' })).toEqual([
      "Input 'schedules': line 2 maps cron '0  2 * * *' again (first on line 1): expected each cron once.",
    ]);
  });

  it('rejects an environment outside allowed, in the input and in every rule', () => {
    expect(problems({ allowed: 'qa, production', environment: 'staging', branches: 'main => dev', default: 'prod' })).toEqual([
      "Input 'environment': 'staging' is not one of the allowed environments: qa, production.",
      "Input 'default': 'prod' is not one of the allowed environments: qa, production.",
      "Input 'branches': line 1 'main => dev': 'dev' is not one of the allowed environments: qa, production.",
    ]);
  });

  it('rejects an environment name a shell would interpret', () => {
    expect(problems({ environment: 'qa;reboot' })).toEqual([
      "Input 'environment': 'qa;reboot' is not a valid environment name: expected a name of letters, digits, '.', '_', '-' or spaces.",
    ]);
  });

  it('rejects values that are not a mapping', () => {
    expect(problems({ values: '- dev\n- prod' })).toEqual([
      "Input 'values': is not a mapping: expected a YAML mapping such as '{key: value}'.",
    ]);
  });

  it('rejects a values entry for an environment outside allowed', () => {
    expect(problems({ allowed: 'dev, prod', values: 'dev: {suffix: -test}\nstaging: {suffix: -stg}' })).toEqual([
      "Input 'values': has an entry for 'staging', which is not in 'allowed' (dev, prod): expected environments from 'allowed' as keys.",
    ]);
  });

  it('rejects a values entry that is not an object', () => {
    expect(problems({ values: 'dev: -test\nprod: [a]' })).toEqual([
      "Input 'values': entry 'dev' is a string, not a mapping: expected 'dev: {key: value}'.",
      "Input 'values': entry 'prod' is a list, not a mapping: expected 'prod: {key: value}'.",
    ]);
  });

  it('treats an empty values entry as no values', () => {
    expect(inputsFrom({ values: 'dev:\nprod: {suffix: ""}' }).values).toEqual({ dev: {}, prod: { suffix: '' } });
  });

  it('accepts values written as JSON', () => {
    expect(inputsFrom({ values: '{"dev": {"replicas": 1}}' }).values).toEqual({ dev: { replicas: 1 } });
  });

  it('strips refs/heads/ and refs/tags/ from globs', () => {
    const inputs = inputsFrom({ branches: 'refs/heads/main => dev', tags: 'refs/tags/v* => prod' });
    expect([inputs.branches[0].pattern, inputs.tags[0].pattern]).toEqual(['main', 'v*']);
  });

  it('normalises commands and drops a written prefix', () => {
    expect([...inputsFrom({ commands: '/plan, Apply\nbootstrap' }).commands.keys()]).toEqual(['plan', 'apply', 'bootstrap']);
  });

  it('rejects a command that is not a word', () => {
    expect(problems({ commands: 'plan, rm -rf' })).toEqual([
      "Input 'commands': 'rm -rf' is not a command name: expected words of letters, digits, '-' or '_': a list ('plan, apply') or a YAML mapping of each command to its argument lists ('{plan: [[], [platform]], apply: [[]]}').",
    ]);
  });

  it('reports every problem at once', () => {
    expect(problems({ schedules: '0 2 * * => production\nnonsense', allowed: 'qa', values: 'x' })).toHaveLength(4);
  });
});
