import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getInputs, type Inputs } from '../src/inputs.js';
import type { RunEvent } from '../src/resolve.js';

export const actionDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const RUN_SHA = '84fb588e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a';
export const MERGE_SHA = 'c0ffee00c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a6';
export const HEAD_SHA = '9f2c1e4b7a6d5c3b2a1f0e9d8c7b6a5f4e3d2c1b';

export type FixtureName =
  | 'schedule'
  | 'workflow_dispatch'
  | 'push-branch'
  | 'push-tag'
  | 'pull_request'
  | 'issue_comment-pull_request'
  | 'issue_comment-issue'
  | 'repository_dispatch';

/** What the runner sets beside each payload: GITHUB_EVENT_NAME, GITHUB_REF, GITHUB_SHA. */
const RUNNER: Record<FixtureName, { eventName: string; ref: string; sha: string }> = {
  schedule: { eventName: 'schedule', ref: 'refs/heads/main', sha: RUN_SHA },
  workflow_dispatch: { eventName: 'workflow_dispatch', ref: 'refs/heads/main', sha: RUN_SHA },
  'push-branch': { eventName: 'push', ref: 'refs/heads/main', sha: RUN_SHA },
  'push-tag': { eventName: 'push', ref: 'refs/tags/v1.4.0', sha: RUN_SHA },
  pull_request: { eventName: 'pull_request', ref: 'refs/pull/42/merge', sha: MERGE_SHA },
  'issue_comment-pull_request': { eventName: 'issue_comment', ref: 'refs/heads/main', sha: RUN_SHA },
  'issue_comment-issue': { eventName: 'issue_comment', ref: 'refs/heads/main', sha: RUN_SHA },
  repository_dispatch: { eventName: 'repository_dispatch', ref: 'refs/heads/main', sha: RUN_SHA },
};

export function payload(name: FixtureName): Record<string, unknown> {
  return JSON.parse(readFileSync(join(actionDir, 'tests', 'fixtures', `${name}.json`), 'utf8')) as Record<string, unknown>;
}

/** A run of the fixture's event; `patch` is merged into the payload's top level, `ref` replaces GITHUB_REF. */
export function runEvent(name: FixtureName, patch: Record<string, unknown> = {}, ref?: string): RunEvent {
  const runner = RUNNER[name];
  const body = { ...payload(name), ...patch };
  if (ref && typeof body.ref === 'string') body.ref = ref;
  return { ...runner, ref: ref ?? runner.ref, payload: body };
}

export function runnerEnv(name: FixtureName, ref?: string): { eventName: string; env: Record<string, string> } {
  const runner = RUNNER[name];
  const gitRef = ref ?? runner.ref;
  return {
    eventName: runner.eventName,
    env: { GITHUB_REF: gitRef, GITHUB_REF_NAME: gitRef.replace(/^refs\/(heads|tags)\//, ''), GITHUB_SHA: runner.sha },
  };
}

/** Inputs as the runner passes them, with action.yml's defaults. */
export function inputsFrom(values: Record<string, string>): Inputs {
  const defaults: Record<string, string> = { 'command-prefix': '/', 'drift-check': 'true' };
  return getInputs((name) => (values[name] ?? defaults[name] ?? '').trim());
}

export const REDCAP = {
  schedules: '0 2 * * * => production\n0 */6 * * * => qa',
  allowed: 'qa, production',
};

export const IMAGE_BUILD = {
  'pull-request': 'dev',
  branches: 'main => dev\ntest => dev',
  allowed: 'dev, test, prod',
  values: [
    'dev: {suffix: -test, dockerfile: Dockerfile.dev}',
    'test: {suffix: -test, dockerfile: Dockerfile.dev}',
    'prod: {suffix: "", dockerfile: Dockerfile}',
  ].join('\n'),
};
