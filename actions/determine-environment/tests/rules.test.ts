import { describe, expect, it } from '@jest/globals';
import { parseCommand, type CommandGrammar } from '../src/command.js';
import { cronProblem, normaliseCron } from '../src/cron.js';
import { scheduleDrift, workflowFilePath, workflowTriggers } from '../src/drift.js';
import { decidingPattern, globMatcher, globProblem } from '../src/glob.js';
import { inputsFrom } from './fixtures.js';

/** The filter pattern cheat sheet of GitHub's workflow syntax documentation, example by example. */
describe("GitHub's filter patterns", () => {
  it.each([
    ['feature/*', ['feature/my-branch', 'feature/your-branch'], ['feature/a/b', 'feature']],
    ['feature/**', ['feature/beta-a/my-branch', 'feature/your-branch', 'feature/mona/the/octocat'], ['feature', 'features/x']],
    ['main', ['main'], ['main2', 'xmain']],
    ['releases/mona-the-octocat', ['releases/mona-the-octocat'], ['releases/mona']],
    ['*', ['main', 'releases'], ['all/the/branches']],
    ['**', ['all/the/branches', 'every/tag'], []],
    ['*feature', ['mona-feature', 'feature', 'ver-10-feature'], ['feature-x']],
    ['v2*', ['v2', 'v2.0', 'v2.9'], ['v3', 'v2/x']],
    ['v[12].[0-9]+.[0-9]+', ['v1.10.1', 'v2.0.0'], ['v3.0.0', 'v1.x.1', 'v1..1', 'v1.0']],
    ['*.jsx?', ['page.js', 'page.jsx'], ['page.jsxx', 'dir/page.js']],
    ['**.js', ['index.js', 'js/index.js', 'src/js/app.js'], ['index.ts']],
    ['docs/*', ['docs/README.md', 'docs/file.txt'], ['docs/mona/octocat.txt']],
    ['docs/**', ['docs/README.md', 'docs/mona/octocat.txt'], ['README.md']],
    ['docs/**/*.md', ['docs/README.md', 'docs/mona/hello-world.md', 'docs/a/markdown/file.md'], ['docs/a.txt']],
    ['**/docs/**', ['docs/hello.md', 'dir/docs/my-file.txt', 'space/docs/plan/space.doc'], ['documents/x']],
    ['**/README.md', ['README.md', 'js/README.md'], ['README.mdx']],
    ['**/*src/**', ['a/src/app.js', 'my-src/code/js/app.js'], ['source/app.js']],
    ['**/*-post.md', ['my-post.md', 'path/their-post.md'], ['post.md']],
    ['**/migrate-*.sql', ['migrate-10909.sql', 'db/migrate-v1.0.sql', 'db/sept/migrate-v1.sql'], ['migrate.sql']],
    ['[CB]at', ['Cat', 'Bat'], ['Rat']],
    ['[1-2]00', ['100', '200'], ['300']],
    ['colou?r', ['color', 'colour'], ['colouur']],
    ['release-\\*', ['release-*'], ['release-1']],
    ['{main,test}', ['main', 'test'], ['dev']],
  ])("'%s' matches %j and not %j", (pattern, yes, no) => {
    const matches = globMatcher(pattern);
    for (const name of yes) expect([name, matches(name)]).toEqual([name, true]);
    for (const name of no) expect([name, matches(name)]).toEqual([name, false]);
  });

  it('applies negations in order, as GitHub does for on.push.branches', () => {
    const list = (...patterns: string[]) =>
      patterns.map((p) => ({ negated: p.startsWith('!'), matches: globMatcher(p.replace(/^!/, '')) }));
    // The cheat sheet's example: '*.md', '!README.md' excludes README.md; a later 'README*' includes it again.
    expect(decidingPattern(list('*.md', '!README.md'), 'hello.md')).toBe(0);
    expect(decidingPattern(list('*.md', '!README.md'), 'README.md')).toBe(-1);
    expect(decidingPattern(list('*.md', '!README.md'), 'docs/hello.md')).toBe(-1);
    expect(decidingPattern(list('*.md', '!README.md', 'README*'), 'README.md')).toBe(2);
    expect(decidingPattern(list('*.md', '!README.md', 'README*'), 'README.doc')).toBe(2);
    // on.push.branches: 'releases/**' with '!releases/**-alpha'.
    expect(decidingPattern(list('releases/**', '!releases/**-alpha'), 'releases/10')).toBe(0);
    expect(decidingPattern(list('releases/**', '!releases/**-alpha'), 'releases/10-alpha')).toBe(-1);
    expect(decidingPattern(list('releases/**', '!releases/**-alpha'), 'releases/beta/3-alpha')).toBe(-1);
  });

  it('reports a pattern picomatch cannot compile', () => {
    expect(globProblem('v[1-')).toBeUndefined();
    expect(globProblem('release/**')).toBeUndefined();
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
  const list: CommandGrammar = new Map([
    ['plan', undefined],
    ['apply', undefined],
  ]);

  it('reads only the first line', () => {
    expect(parseCommand('/apply\n/plan', '/', list)).toMatchObject({ command: 'apply', args: '', accepted: true });
  });

  it('matches commands regardless of case', () => {
    expect(parseCommand('/PLAN prod', '/', list)).toMatchObject({ command: 'plan', args: 'prod', accepted: true });
  });

  it('refuses a bare prefix', () => {
    expect(parseCommand('/ ', '/', list)).toMatchObject({
      accepted: false,
      attempted: true,
      refusal: "the comment names no command after '/' (allowed: /plan [args], /apply [args])",
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
    expect(workflowTriggers(workflow).crons).toEqual(['0 2 * * *', '0  */6 * * *']);
  });

  it('finds nothing in a workflow without schedules', () => {
    expect(workflowTriggers('on: push\njobs: {}').crons).toEqual([]);
  });

  it('reports a cron the mapping lacks and a mapping the workflow dropped', () => {
    const inputs = inputsFrom({ schedules: '0 2 * * * => production\n0 3 * * * => qa' });
    const drift = scheduleDrift(workflowTriggers(workflow).crons, inputs.schedules);
    expect(drift.unmapped).toEqual(['0  */6 * * *']);
    expect(drift.stale.map((s) => s.pattern)).toEqual(['0 3 * * *']);
  });
});
