// What every part of the demo shares: the transcript, the step runner and the loopback servers.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeGitHubApi } from '../../packages/testing/src/github/index.js';
import type { S3TestServer } from '../../packages/testing/src/s3-server.js';
import type { SlackServer } from '../../packages/testing/src/slack-server.js';
import type { StepRunner } from './steps.js';
import type { Transcript } from './transcript.js';

export interface DemoContext {
  t: Transcript;
  steps: StepRunner;
  s3: S3TestServer;
  github: FakeGitHubApi;
  slack: SlackServer;
  /** `owner/name` the runs belong to. */
  repo: string;
  withSsh: boolean;
  /** Parent of every runner directory made during the demo (removed at the end). */
  workDir: string;
}

/** The token `${{ github.token }}` resolves to: the fake's installation token with write access. */
export const GITHUB_TOKEN = 'ghs_writetoken';

/** A fresh runner directory for one job (its steps share RUNNER_TEMP and the workspace). */
export function newRunnerDir(ctx: DemoContext, job: string): string {
  return mkdtempSync(join(ctx.workDir, `${job}-`));
}

/** S3 inputs every S3-using step passes (a workflow would use the real endpoint and OIDC credentials). */
export function s3Inputs(ctx: DemoContext): Record<string, string> {
  return { 's3-endpoint': ctx.s3.endpoint, 's3-force-path-style': 'true' };
}

/** A one-line check of what the demo expects beyond a step's exit code, recorded as its own ✓/✗ step. */
export function check(ctx: DemoContext, name: string, ok: boolean, failure: string): boolean {
  ctx.t.step({ name, outcome: ok ? 'pass' : 'fail', note: ok ? '' : failure });
  return ok;
}
