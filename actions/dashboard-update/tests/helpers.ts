import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from '@jest/globals';
import { runAction, type ActionResult, type FakeGitHubApi, type RunActionOptions } from '../../../packages/testing/src/index.js';

export const actionDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SHA = 'abc1234def5678901234567890abcdef12345678';
export const SHA2 = 'fedcba9876543210fedcba9876543210fedcba98';
export const MARKER = '<!-- infra-dashboard:abc1234 -->';

export type RunOptions = RunActionOptions & { token?: string; runId?: string; attempt?: string };

/** A commit of its own for each pull request: records are per commit, so tests do not share them. */
export function shaFor(pr: number): string {
  return `${String(pr).padStart(7, '0')}${'e'.repeat(33)}`;
}

export function markerOf(sha: string): string {
  return `<!-- infra-dashboard:${sha.slice(0, 7)} -->`;
}

export function prEvent(number: number, sha = shaFor(number)): Pick<RunActionOptions, 'event' | 'eventName'> {
  return { eventName: 'pull_request', event: { action: 'synchronize', number, pull_request: { number, head: { sha } } } };
}

/** Runs the bundled action as the runner does, against the fake GitHub API. */
export function runWith(github: FakeGitHubApi, inputs: Record<string, string>, options: RunOptions = {}): Promise<ActionResult> {
  const { token = 'ghs_writetoken', runId = '1001', attempt = '1', ...rest } = options;
  return runAction(actionDir, {
    timeoutMs: 120_000,
    ...rest,
    inputs: { token, ...inputs },
    env: { ...github.server.env(token), GITHUB_RUN_ID: runId, GITHUB_RUN_ATTEMPT: attempt, ...(rest.env ?? {}) },
    secrets: [token],
  });
}

export function dashboardsOf(github: FakeGitHubApi, pr: number, marker = markerOf(shaFor(pr))) {
  return github.issues.issueComments(pr).filter((c) => c.body.startsWith(marker));
}

/** The table rows of a dashboard body: name -> [status emoji, output cell, time]. */
export function rowsOf(body: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of body.split('\n')) {
    const m = /^\| (.+?) \| (\S+) \| (.*) \| (\S+) \|$/.exec(line);
    if (m && m[1] !== 'Stage' && !m[1].startsWith('-')) rows.set(m[1], [m[2], m[3], m[4]]);
  }
  return rows;
}

export function statusesOf(body: string): Record<string, string> {
  return Object.fromEntries([...rowsOf(body)].map(([name, [emoji]]) => [name, emoji]));
}

export function expectClean(result: ActionResult): void {
  expect(result.errors).toEqual([]);
  expect(result.warnings).toEqual([]);
  expect(result.exitCode).toBe(0);
  expect(result.leakedSecrets).toEqual([]);
}
