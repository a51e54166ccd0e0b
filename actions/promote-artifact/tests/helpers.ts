import { expect } from '@jest/globals';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_REPOSITORY,
  runAction,
  startFakeGitHub,
  startS3Server,
  type ActionResult,
  type FakeGitHubApi,
  type S3TestServer,
} from '../../../packages/testing/src/index.js';

export const ACTION = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = DEFAULT_REPOSITORY;
export const BUCKET = 'release-artifacts';

export interface Step {
  inputs: Record<string, string>;
  sha: string;
  runId?: number;
  runnerDir?: string;
  actor?: string;
  /** Extra environment, applied last. */
  env?: Record<string, string>;
  token?: string;
}

/** Fake GitHub + moto for one test file, and a runner that runs the bundled action against them. */
export class Bench {
  gh!: FakeGitHubApi;
  s3!: S3TestServer;
  client!: S3Client;
  private readonly roots: string[] = [];

  async start(commits: string[]): Promise<void> {
    [this.gh, this.s3] = await Promise.all([startFakeGitHub(), startS3Server()]);
    this.client = new S3Client(this.s3.clientConfig);
    await this.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const sha of commits) this.gh.git.addCommit(REPO, { sha });
  }

  async stop(): Promise<void> {
    this.client?.destroy();
    await Promise.all([this.gh?.stop(), this.s3?.stop()]);
    for (const r of this.roots) rmSync(r, { recursive: true, force: true });
  }

  /** A runner directory whose workspace holds these files; a value `-> target` makes a symbolic link. */
  workspace(files: Record<string, string> = {}): string {
    const runnerDir = mkdtempSync(join(tmpdir(), 'promote-test-'));
    this.roots.push(runnerDir);
    mkdirSync(join(runnerDir, 'workspace'), { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      const path = join(runnerDir, 'workspace', name);
      mkdirSync(dirname(path), { recursive: true });
      if (content.startsWith('-> ')) symlinkSync(content.slice(3), path);
      else writeFileSync(path, content);
    }
    return runnerDir;
  }

  run({ inputs, sha, runId = 5000, runnerDir, actor = 'octocat', env = {}, token = 'ghs_writetoken' }: Step): Promise<ActionResult> {
    return runAction(ACTION, {
      inputs: { token, 's3-endpoint': this.s3.endpoint, 's3-force-path-style': 'true', bucket: BUCKET, store: 's3', ...inputs },
      env: {
        ...this.gh.server.env(token),
        // @actions/artifact refuses anything but github.com (GHES); API calls still go to GITHUB_API_URL.
        GITHUB_SERVER_URL: 'https://github.com',
        ...this.s3.env,
        ...this.gh.artifacts.runtimeEnv(runId),
        GITHUB_SHA: sha,
        GITHUB_RUN_ID: String(runId),
        GITHUB_ACTOR: actor,
        ...env,
      },
      runnerDir: runnerDir ?? this.workspace(),
      timeoutMs: 90_000,
    });
  }

  tagMessage(tag: string): string {
    const r = this.gh.git.repo(REPO);
    return r.tags.get(r.refs.get(`refs/tags/${tag}`) ?? '')?.message ?? '';
  }

  /** Replaces a tag's record (a forged tag pushed by hand, as an annotated tag with the same tagger). */
  forgeRecord(tag: string, change: (record: Record<string, unknown>) => void): void {
    const r = this.gh.git.repo(REPO);
    const object = r.tags.get(r.refs.get(`refs/tags/${tag}`) ?? '')!;
    const record = JSON.parse(object.message) as Record<string, unknown>;
    change(record);
    const sha = `${object.sha.slice(0, 30)}${Math.random().toString(16).slice(2, 12).padEnd(10, '0')}`;
    r.tags.set(sha, { ...object, sha, message: JSON.stringify(record) });
    r.refs.set(`refs/tags/${tag}`, sha);
  }
}

export function ok(result: ActionResult): ActionResult {
  if (result.exitCode !== 0)
    throw new Error(
      `action failed (${result.exitCode}): ${result.errors.join(' | ')}\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`,
    );
  return result;
}

export function failed(result: ActionResult): string {
  expect(result.exitCode).toBe(1);
  expect(result.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  return result.errors.join('\n');
}
