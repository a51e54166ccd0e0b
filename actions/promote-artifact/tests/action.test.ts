import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { existsSync, readFileSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionResult, FakeGitHubApi } from '../../../packages/testing/src/index.js';
import { Bench, BUCKET, failed, ok, REPO } from './helpers.js';

const SHA_A = '84fb588e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a';
const SHA_B = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
const SHA_C = 'fedcba9876543210fedcba9876543210fedcba98';

const bench = new Bench();
let gh: FakeGitHubApi;
let client: S3Client;

beforeAll(async () => {
  await bench.start([SHA_A, SHA_B, SHA_C]);
  ({ gh, client } = bench);
}, 180_000);
afterAll(() => bench.stop());

const workspaceWith = (files: Record<string, string>) => bench.workspace(files);

const BUILD = { 'dist/index.js': 'console.log("v1");\n', 'dist/lib/util.js': 'export const x = 1;\n', 'dist/README.txt': 'hello\n' };

interface Step {
  inputs: Record<string, string>;
  sha?: string;
  runId?: number;
  runnerDir?: string;
  token?: string;
  actor?: string;
}

/** Service api, GitHub store unless the test says otherwise. */
const step = ({ inputs, sha = SHA_A, ...rest }: Step): Promise<ActionResult> =>
  bench.run({ inputs: { service: 'api', store: 'github', ...inputs }, sha, ...rest });

const tagNames = () =>
  [...gh.git.repo(REPO).refs.keys()].filter((r) => r.startsWith('refs/tags/')).map((r) => r.slice('refs/tags/'.length));
const tagCommit = (tag: string) => gh.git.peel(REPO, gh.git.repo(REPO).refs.get(`refs/tags/${tag}`) ?? '');
const tagMessage = (tag: string) => bench.tagMessage(tag);

/** Adds an annotated tag straight into the fake's state (history made by earlier runs). */
function seedTag(tag: string, commit: string, message = `${tag}\n`): void {
  const r = gh.git.repo(REPO);
  const sha = `${Buffer.from(tag).toString('hex').padEnd(40, '0').slice(0, 40)}`;
  r.tags.set(sha, {
    sha,
    tag,
    message,
    tagger: { name: 'x', email: 'x@example.com', date: new Date().toISOString() },
    object: { sha: commit, type: 'commit' },
  });
  r.refs.set(`refs/tags/${tag}`, sha);
}

describe('promote-artifact: publish, fetch and mark across build, qa and prod', () => {
  const version = '84fb588-20250120-143022';
  let published: ActionResult;

  it('publishes to GitHub and S3 and tags build-{version} with the record', async () => {
    const runnerDir = workspaceWith(BUILD);
    published = ok(
      await step({ inputs: { mode: 'publish', version, path: 'dist', store: 'both', 'retention-days': '30' }, runId: 5001, runnerDir }),
    );
    const o = published.outputs;
    expect(o.version).toBe(version);
    expect(o.tag).toBe(`build-api-${version}`);
    expect(o['artifact-name']).toBe(`service-api-${version}.tar.gz`);
    expect(o.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(o.size)).toBeGreaterThan(0);
    expect(o['s3-uri']).toBe(`s3://${BUCKET}/artifacts/api/service-api-${version}.tar.gz`);
    expect(o['commit-sha']).toBe(SHA_A);
    expect(o['previous-version']).toBe('');

    const artifact = gh.artifacts.find({ name: o['artifact-name'], runId: 5001 });
    expect(artifact).toBeDefined();
    expect(o['artifact-id']).toBe(String(artifact!.id));
    // The zip container download-artifact expects, around the archive.
    expect(gh.artifacts.content(artifact!).readUInt32LE(0)).toBe(0x04034b50);

    expect(tagCommit(`build-api-${version}`)).toBe(SHA_A);
    const record = JSON.parse(tagMessage(`build-api-${version}`)) as Record<string, unknown>;
    expect(record).toMatchObject({
      version,
      service: 'api',
      commit: SHA_A,
      run_id: '5001',
      run_attempt: 1,
      workflow: 'Pipeline',
      artifact_name: o['artifact-name'],
      artifact_id: artifact!.id,
      artifact_form: 'zip',
      artifact_digest: artifact!.digest,
      sha256: o.sha256,
      size: Number(o.size),
      s3_uri: o['s3-uri'],
    });
    expect(typeof record.created_at).toBe('string');
    expect(typeof record.expires_at).toBe('string');

    const s3Record = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `artifacts/api/service-api-${version}.tar.gz.json` }));
    expect(JSON.parse(await s3Record.Body!.transformToString())).toMatchObject({ sha256: o.sha256, version });
    expect(published.summary).toContain(`Published api ${version}`);
  });

  it('fetches for qa from the GitHub artifact, verified and extracted', async () => {
    const runnerDir = workspaceWith({});
    const r = ok(await step({ inputs: { mode: 'fetch', version, stage: 'qa', path: 'deploy' }, runId: 6001, runnerDir }));
    expect(r.outputs.sha256).toBe(published.outputs.sha256);
    expect(r.outputs.path).toBe(join(runnerDir, 'workspace', 'deploy'));
    expect(readFileSync(join(runnerDir, 'workspace', 'deploy', 'dist', 'lib', 'util.js'), 'utf8')).toBe(BUILD['dist/lib/util.js']);
    expect(r.summary).toMatch(/GitHub artifact \d+ of run 5001/);
    // Nothing left behind beside the destination.
    expect(readdirSync(join(runnerDir, 'workspace'))).toEqual(['deploy']);
  });

  it('marks qa with an annotated tag naming who and the run', async () => {
    const r = ok(await step({ inputs: { mode: 'mark', version, stage: 'qa', notes: 'smoke tests green' }, runId: 6001, actor: 'qa-bot' }));
    expect(r.outputs.tag).toBe(`qa-api-${version}`);
    expect(r.outputs['release-url']).toBe('');
    expect(tagCommit(`qa-api-${version}`)).toBe(SHA_A);
    const record = JSON.parse(tagMessage(`qa-api-${version}`)) as { sha256: string; promotion: Record<string, unknown> };
    expect(record.sha256).toBe(published.outputs.sha256);
    expect(record.promotion).toMatchObject({ stage: 'qa', environment: 'qa', promoted_by: 'qa-bot', notes: 'smoke tests green' });
    expect(String(record.promotion.run_url)).toContain('/actions/runs/6001');
    expect(r.outputs['deployment-id']).toMatch(/^\d+$/);
    const deployment = gh.deployments.deployments.find((d) => String(d.id) === r.outputs['deployment-id'])!;
    expect(deployment).toMatchObject({ environment: 'qa', sha: SHA_A, task: 'deploy:api' });
    expect(deployment.payload).toMatchObject({ service: 'api', version, sha256: published.outputs.sha256 });
    expect(deployment.statuses.map((s) => s.state)).toEqual(['success']);
  });

  it('fetches and marks prod, creating the release with the notes', async () => {
    const runnerDir = workspaceWith({});
    ok(await step({ inputs: { mode: 'fetch', version, stage: 'prod' }, runId: 7001, runnerDir }));
    expect(existsSync(join(runnerDir, 'workspace', 'artifact', 'dist', 'index.js'))).toBe(true);
    const r = ok(await step({ inputs: { mode: 'mark', version, stage: 'prod', notes: 'Release notes for prod' }, runId: 7001 }));
    expect(tagCommit(`prod-api-${version}`)).toBe(SHA_A);
    const release = gh.git.repo(REPO).releases.find((x) => x.tag_name === `prod-api-${version}`);
    expect(release?.body).toContain('Release notes for prod');
    expect(r.outputs['release-url']).toContain(`/releases/tag/prod-api-${version}`);
  });

  it('treats a re-run of mark as success without a second tag or release', async () => {
    const tagsBefore = tagNames().length;
    const r = ok(await step({ inputs: { mode: 'mark', version, stage: 'prod', notes: 'again' }, runId: 7001 }));
    expect(r.summary).toContain('already');
    expect(tagNames().length).toBe(tagsBefore);
    expect(gh.git.repo(REPO).releases.filter((x) => x.tag_name === `prod-api-${version}`)).toHaveLength(1);
    expect(r.outputs['release-url']).toContain(`prod-api-${version}`);
  });

  it('treats a re-run of publish with the same files as success', async () => {
    const runnerDir = workspaceWith(BUILD);
    const uploads = gh.artifacts.artifacts.length;
    const r = ok(await step({ inputs: { mode: 'publish', version, path: 'dist', store: 'both' }, runId: 5001, runnerDir }));
    expect(r.outputs.sha256).toBe(published.outputs.sha256);
    expect(gh.artifacts.artifacts.length).toBe(uploads);
  });
});

describe('promote-artifact: refusals', () => {
  const version = '1a2b3c4-20250201-090000';

  beforeAll(async () => {
    ok(
      await step({
        inputs: { mode: 'publish', version, path: 'dist', store: 's3' },
        sha: SHA_B,
        runId: 5101,
        runnerDir: workspaceWith(BUILD),
      }),
    );
  });

  it('refuses prod without the qa tag, saying which tag and how to promote it', async () => {
    const runnerDir = workspaceWith({});
    const error = failed(await step({ inputs: { mode: 'fetch', version, stage: 'prod' }, runnerDir }));
    expect(error).toContain(`qa-api-${version}`);
    expect(error).toMatch(/Promote it to qa first/);
    expect(existsSync(join(runnerDir, 'workspace', 'artifact'))).toBe(false);
    const markError = failed(await step({ inputs: { mode: 'mark', version, stage: 'prod' } }));
    expect(markError).toContain(`qa-api-${version}`);
    expect(tagNames()).not.toContain(`prod-api-${version}`);
  });

  it('fails on a tag that already points at another commit, tagging nothing', async () => {
    seedTag(`qa-api-${version}`, SHA_C);
    const error = failed(await step({ inputs: { mode: 'mark', version, stage: 'qa' }, sha: SHA_B }));
    expect(error).toMatch(/already exists on commit fedcba9/);
    expect(tagCommit(`qa-api-${version}`)).toBe(SHA_C);
    const fetchError = failed(await step({ inputs: { mode: 'fetch', version, stage: 'prod' }, runnerDir: workspaceWith({}) }));
    expect(fetchError).toMatch(/must share its commit/);
    gh.git.repo(REPO).refs.delete(`refs/tags/qa-api-${version}`);
  });

  it('refuses publishing an existing version from another commit', async () => {
    const error = failed(
      await step({ inputs: { mode: 'publish', version, path: 'dist', store: 's3' }, sha: SHA_C, runnerDir: workspaceWith(BUILD) }),
    );
    expect(error).toMatch(/already exists on commit 1a2b3c4/);
  });

  it('reports every bad input at once: unknown stage, bad version', async () => {
    const r = await step({ inputs: { mode: 'fetch', version: 'v1.2.3', stage: 'staging' } });
    const error = failed(r);
    expect(error).toContain("Input 'version': 'v1.2.3' does not match");
    expect(error).toContain("Input 'stage': 'staging' is not one of the stages: build, qa, prod");
    expect(r.errors).toHaveLength(2);
  });

  it('names the missing permission when the token cannot write tags', async () => {
    ok(await step({ inputs: { mode: 'fetch', version, stage: 'qa' }, runnerDir: workspaceWith({}) }));
    const error = failed(await step({ inputs: { mode: 'mark', version, stage: 'qa' }, token: 'ghs_readonlytoken' }));
    expect(error).toContain('contents: write');
    expect(tagNames()).not.toContain(`qa-api-${version}`);
  });

  it('names actions: read when the artifact listing is refused', async () => {
    const v = '84fb588-20250121-100000';
    ok(
      await step({ inputs: { mode: 'publish', version: v, path: 'dist', store: 'github' }, runId: 5201, runnerDir: workspaceWith(BUILD) }),
    );
    gh.server.injectFault({
      method: 'GET',
      path: /\/actions\/runs\/5201\/artifacts$/,
      kind: 'status',
      status: 403,
      message: 'Resource not accessible by integration',
    });
    const error = failed(await step({ inputs: { mode: 'fetch', version: v, stage: 'qa' }, runnerDir: workspaceWith({}) }));
    expect(error).toContain('actions: read');
  });
});

describe('promote-artifact: durability and integrity', () => {
  it('falls back to the S3 copy when the GitHub artifact has expired', async () => {
    const version = '84fb588-20250122-080000';
    const p = ok(
      await step({ inputs: { mode: 'publish', version, path: 'dist', store: 'both' }, runId: 5301, runnerDir: workspaceWith(BUILD) }),
    );
    gh.artifacts.expire(gh.artifacts.find({ id: Number(p.outputs['artifact-id']) })!);
    const runnerDir = workspaceWith({});
    const r = ok(await step({ inputs: { mode: 'fetch', version, stage: 'qa' }, runnerDir }));
    expect(r.summary).toContain(`s3://${BUCKET}/artifacts/api/service-api-${version}.tar.gz`);
    expect(r.stdout).toMatch(/has expired; using the S3 copy/);
    expect(readFileSync(join(runnerDir, 'workspace', 'artifact', 'dist', 'index.js'), 'utf8')).toBe(BUILD['dist/index.js']);
  });

  it('fails an expired artifact with no S3 copy and suggests store: both', async () => {
    const version = '84fb588-20250123-080000';
    const p = ok(
      await step({ inputs: { mode: 'publish', version, path: 'dist', store: 'github' }, runId: 5302, runnerDir: workspaceWith(BUILD) }),
    );
    gh.artifacts.expire(gh.artifacts.find({ id: Number(p.outputs['artifact-id']) })!);
    const error = failed(await step({ inputs: { mode: 'fetch', version, stage: 'qa' }, runnerDir: workspaceWith({}) }));
    expect(error).toMatch(/has expired/);
    expect(error).toContain('store: both');
  });

  it('fails a digest mismatch and extracts nothing', async () => {
    const version = '84fb588-20250124-080000';
    const p = ok(await step({ inputs: { mode: 'publish', version, path: 'dist', store: 's3' }, runnerDir: workspaceWith(BUILD) }));
    const key = `artifacts/api/${p.outputs['artifact-name']}`;
    const stored = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const bytes = Buffer.from(await stored.Body!.transformToByteArray());
    bytes[bytes.length - 20] ^= 0xff;
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes }));
    const runnerDir = workspaceWith({});
    const error = failed(await step({ inputs: { mode: 'fetch', version, stage: 'qa' }, runnerDir }));
    expect(error).toContain('digest mismatch');
    expect(error).toContain(p.outputs.sha256);
    expect(readdirSync(join(runnerDir, 'workspace'))).toEqual([]);
  });

  it('packs deterministically: the same files give the same sha256 whatever their mtimes', async () => {
    const first = workspaceWith(BUILD);
    const second = workspaceWith(BUILD);
    utimesSync(join(second, 'workspace', 'dist', 'index.js'), new Date('2001-01-01'), new Date('2001-01-01'));
    const a = ok(
      await step({ inputs: { mode: 'publish', version: '84fb588-20250125-080000', path: 'dist', store: 's3' }, runnerDir: first }),
    );
    const b = ok(
      await step({ inputs: { mode: 'publish', version: '84fb588-20250125-090000', path: 'dist/**', store: 's3' }, runnerDir: second }),
    );
    expect(b.outputs.sha256).toBe(a.outputs.sha256);
    expect(b.outputs.size).toBe(a.outputs.size);
  });
});
