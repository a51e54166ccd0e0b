import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { runAction } from '../../../packages/testing/src/index.js';
import { HEAD_SHA, actionDir, payload, RUN_SHA } from './fixtures.js';

/** The LabLink example of the README, run row by row: the README block is the workflow file and the step's inputs. */
const readme = readFileSync(join(actionDir, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('### LabLink image build'));
const workflowText = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
const workflow = parseYaml(workflowText) as { jobs: Record<string, { steps: { uses?: string; with?: Record<string, string> }[] }> };
const step = Object.values(workflow.jobs)
  .flatMap((job) => job.steps)
  .find((s) => s.uses?.includes('/determine-environment@'));
const WORKFLOW_REF = 'octo-org/lablink/.github/workflows/image-build.yml@refs/heads/main';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Row {
  eventName: string;
  ref: string;
  event: Record<string, unknown>;
}

/** Runs the README step on an event, with `${{ inputs.environment }}` as the dispatch would fill it. */
async function runRow(row: Row) {
  const dir = mkdtempSync(join(tmpdir(), 'lablink-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'workspace', '.github', 'workflows'), { recursive: true });
  writeFileSync(join(dir, 'workspace', '.github', 'workflows', 'image-build.yml'), workflowText);
  const dispatched = (row.event.inputs ?? {}) as Record<string, string>;
  const inputs = Object.fromEntries(
    Object.entries(step?.with ?? {}).map(([name, value]) => [
      name,
      value.replace('${{ inputs.environment }}', dispatched.environment ?? ''),
    ]),
  );
  return runAction(actionDir, {
    inputs,
    eventName: row.eventName,
    event: row.event,
    runnerDir: dir,
    env: { GITHUB_REF: row.ref, GITHUB_SHA: RUN_SHA, GITHUB_WORKFLOW_REF: WORKFLOW_REF, GITHUB_REPOSITORY: 'octo-org/lablink' },
  });
}

const push = (branch: string): Row => ({
  eventName: 'push',
  ref: `refs/heads/${branch}`,
  event: { ...payload('push-branch'), ref: `refs/heads/${branch}` },
});
const dispatch = (inputs: Record<string, string>, branch = 'main'): Row => ({
  eventName: 'workflow_dispatch',
  ref: `refs/heads/${branch}`,
  event: { ...payload('workflow_dispatch'), ref: `refs/heads/${branch}`, inputs },
});
const DEV = { dockerfile: 'Dockerfile.dev', 'tag-suffix': '-test', 'version-required': false };
const PROD = { dockerfile: 'Dockerfile', 'tag-suffix': '', 'version-required': true };

describe('the LabLink table of the README', () => {
  it('has the step and the workflow to run', () => {
    expect(step?.with?.requires).toContain('allocator_version');
    expect(workflowText).toContain('workflow_dispatch:');
  });

  it.each([
    ['a pull request', { eventName: 'pull_request', ref: 'refs/pull/42/merge', event: payload('pull_request') }, 'test', DEV],
    ['a push to test', push('test'), 'test', DEV],
    ['a push to main', push('main'), 'ci-test', DEV],
    ['a manual test build', dispatch({ environment: 'test' }), 'test', DEV],
    ['a manual ci-test build', dispatch({ environment: 'ci-test' }), 'ci-test', DEV],
    [
      'a manual prod build from main with both versions',
      dispatch({ environment: 'prod', allocator_version: '0.0.2a0', client_version: '1.4.0' }),
      'prod',
      PROD,
    ],
  ] as const)('builds %s as %s with its values', async (_what, row, environment, values) => {
    const result = await runRow(row);
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs.environment).toBe(environment);
    expect(JSON.parse(result.outputs.values)).toEqual(values);
    expect(result.outputs['should-run']).toBe('true');
  });

  it('pins the pull request row to the head commit', async () => {
    const result = await runRow({ eventName: 'pull_request', ref: 'refs/pull/42/merge', event: payload('pull_request') });
    expect(result.outputs).toMatchObject({ sha: HEAD_SHA, 'head-sha': HEAD_SHA, 'is-fork': 'false', 'base-ref': 'main' });
  });

  it('refuses a prod build without versions, one error per missing version, and writes nothing', async () => {
    const result = await runRow(dispatch({ environment: 'prod' }));
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "Environment 'prod' requires 'allocator_version', which is empty: provide it, e.g. gh workflow run image-build.yml --ref main -f environment=prod -f allocator_version=....",
      "Environment 'prod' requires 'client_version', which is empty: provide it, e.g. gh workflow run image-build.yml --ref main -f environment=prod -f client_version=....",
    ]);
    expect(result.outputs).toEqual({});
    expect(result.summary).toBe('');
  });

  it('refuses a prod build with a version that is not a release version', async () => {
    const result = await runRow(dispatch({ environment: 'prod', allocator_version: '1.4', client_version: '1.4.0; rm -rf /' }));
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "Environment 'prod' requires 'allocator_version' to match ^\\d+\\.\\d+\\.\\d+([ab]\\d+)?$, and '1.4' does not: provide a matching value, e.g. gh workflow run image-build.yml --ref main -f environment=prod -f allocator_version=....",
      "Environment 'prod' requires 'client_version' to match ^\\d+\\.\\d+\\.\\d+([ab]\\d+)?$, and '1.4.0? rm -rf /' does not: provide a matching value, e.g. gh workflow run image-build.yml --ref main -f environment=prod -f client_version=....",
    ]);
  });

  it('refuses a prod build dispatched from a branch', async () => {
    const result = await runRow(dispatch({ environment: 'prod', allocator_version: '0.0.2a0', client_version: '0.0.7a0' }, 'feature/x'));
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "Environment 'prod' may run only from refs/heads/main, and this run is on 'refs/heads/feature/x': run it from an allowed ref, e.g. gh workflow run image-build.yml --ref main -f environment=prod.",
    ]);
  });

  it('fails a push to a branch the table does not map', async () => {
    const result = await runRow(push('feature/x'));
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain("Push to branch 'feature/x' matches no glob in 'branches' (mapped: test, main)");
  });
});
