import { describe, expect, it } from '@jest/globals';
import { parseCommand } from '../src/command.js';
import { cronProblem, normaliseCron } from '../src/cron.js';
import { scheduleDrift, workflowCrons, workflowFilePath } from '../src/drift.js';
import { globToRegExp } from '../src/glob.js';
import { inputsFrom } from './fixtures.js';

describe('globs', () => {
  it.each([
    ['main', 'main', true],
    ['main', 'main2', false],
    ['release/*', 'release/1.0', true],
    ['release/*', 'release/1/0', false],
    ['release/**', 'release/1/0', true],
    ['release/**', 'release', false],
    ['**/hotfix', 'hotfix', true],
    ['**/hotfix', 'team/a/hotfix', true],
    ['v*', 'v1.2.3', true],
    ['v?.*', 'v1.2', true],
    ['v1.*', 'v1x2', false],
    ['feat+x', 'feat+x', true],
  ])("'%s' on '%s' is %s", (glob, name, expected) => {
    expect(globToRegExp(glob).test(name)).toBe(expected);
  });
});

describe('crons', () => {
  it('normalises spacing and name case', () => {
    expect(normaliseCron('  0\t2  * * mon ')).toBe('0 2 * * MON');
  });

  it('accepts a step over a single start value', () => {
    expect(cronProblem('5/15 * * * *')).toBeUndefined();
  });
});

describe('commands', () => {
  it('reads only the first line', () => {
    expect(parseCommand('/apply\n/plan', '/', ['plan', 'apply'])).toMatchObject({ command: 'apply', args: '', accepted: true });
  });

  it('matches commands regardless of case', () => {
    expect(parseCommand('/PLAN prod', '/', ['plan'])).toMatchObject({ command: 'plan', args: 'prod', accepted: true });
  });

  it('refuses a bare prefix', () => {
    expect(parseCommand('/ ', '/', ['plan'])).toMatchObject({
      accepted: false,
      refusal: "the comment names no command after '/' (commands: /plan)",
    });
  });
});

describe('schedule drift', () => {
  const workflow = [
    'name: REDCap',
    'on:',
    '  schedule:',
    "    - cron: '0 2 * * *'",
    '    - cron: "0  */6 * * *"',
    '  workflow_dispatch:',
    'jobs: {}',
  ].join('\n');

  it('locates the workflow file from GITHUB_WORKFLOW_REF', () => {
    expect(workflowFilePath('octo-org/pipeline-demo/.github/workflows/redcap.yml@refs/heads/main', '/ws')).toBe(
      '/ws/.github/workflows/redcap.yml',
    );
  });

  it('refuses a workflow ref that would leave the workspace', () => {
    expect(workflowFilePath('octo-org/repo/../../etc/passwd@refs/heads/main', '/ws')).toBeUndefined();
  });

  it('reads the crons of on.schedule', () => {
    expect(workflowCrons(workflow)).toEqual(['0 2 * * *', '0  */6 * * *']);
  });

  it('finds nothing in a workflow without schedules', () => {
    expect(workflowCrons('on: push\njobs: {}')).toEqual([]);
  });

  it('reports a cron the mapping lacks and a mapping the workflow dropped', () => {
    const inputs = inputsFrom({ schedules: '0 2 * * * => production\n0 3 * * * => qa' });
    const drift = scheduleDrift(workflowCrons(workflow), inputs.schedules);
    expect(drift.unmapped).toEqual(['0  */6 * * *']);
    expect(drift.stale.map((s) => s.pattern)).toEqual(['0 3 * * *']);
  });
});
