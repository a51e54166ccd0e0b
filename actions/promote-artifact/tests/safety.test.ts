import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { Bench, BUCKET, failed, ok, REPO } from './helpers.js';

const SHA = '84fb588e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a';
const OTHER = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
const bench = new Bench();
const BUILD = { 'dist/index.js': 'console.log(1);\n', 'dist/lib/util.js': 'export const x = 1;\n' };

beforeAll(() => bench.start([SHA, OTHER]), 180_000);
afterAll(() => bench.stop());

/** A tar.gz of these entries, built independently of the action. */
async function tarGz(entries: { name: string; content: Buffer }[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) pack.entry({ name: e.name, size: e.content.length }, e.content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The workspace is empty: nothing extracted, no temporary directory left. */
const nothingLeft = (runnerDir: string) => expect(readdirSync(join(runnerDir, 'workspace'))).toEqual([]);

describe('records are checked before they are trusted', () => {
  const version = '84fb588-20250601-100000';
  const tag = `build-api-${version}`;
  let original: string;

  beforeAll(async () => {
    ok(
      await bench.run({
        inputs: { mode: 'publish', service: 'api', version, path: 'dist', store: 'both' },
        sha: SHA,
        runId: 7001,
        runnerDir: bench.workspace(BUILD),
      }),
    );
    original = bench.gh.git.repo(REPO).refs.get(`refs/tags/${tag}`)!;
  }, 60_000);

  const cases: [string, (r: Record<string, unknown>) => void, RegExp][] = [
    ['another commit', (r) => (r.commit = OTHER), /commit 1a2b3c4 \(the tag points at 84fb588\)/],
    ['another service', (r) => (r.service = 'worker'), /service 'worker' \(expected 'api'\)/],
    [
      'another artifact',
      (r) => (r.artifact_name = 'service-api-84fb588-20250101-000000.tar.gz'),
      /artifact 'service-api-84fb588-20250101-000000.tar.gz'/,
    ],
    [
      'another bucket',
      (r) => (r.s3_uri = `s3://attacker-bucket/artifacts/api/service-api-${version}.tar.gz`),
      /s3:\/\/attacker-bucket\/.* is not s3:\/\/release-artifacts\//,
    ],
    ['another endpoint', (r) => (r.s3_endpoint = 'http://127.0.0.1:9'), /names the S3 endpoint http:\/\/127\.0\.0\.1:9/],
  ];
  it.each(cases)('refuses a record naming %s before any byte is downloaded or extracted', async (_name, change, message) => {
    bench.forgeRecord(tag, change);
    const blobReads = bench.gh.artifacts.blobRequests.length;
    try {
      const runnerDir = bench.workspace();
      const error = failed(
        await bench.run({ inputs: { mode: 'fetch', service: 'api', version, stage: 'qa', store: 'both' }, sha: SHA, runnerDir }),
      );
      expect(error).toMatch(message);
      expect(error).toContain(`qa for api ${version}`);
      expect(bench.gh.artifacts.blobRequests.length).toBe(blobReads);
      nothingLeft(runnerDir);
    } finally {
      bench.gh.git.repo(REPO).refs.set(`refs/tags/${tag}`, original);
    }
  });

  it('refuses a lightweight qa tag pushed by hand, saying what to do', async () => {
    bench.gh.git.repo(REPO).refs.set(`refs/tags/qa-api-${version}`, SHA);
    const runnerDir = bench.workspace();
    const error = failed(await bench.run({ inputs: { mode: 'fetch', service: 'api', version, stage: 'prod' }, sha: SHA, runnerDir }));
    expect(error).toContain(`qa-api-${version} is a lightweight tag`);
    expect(error).toMatch(/git push origin :refs\/tags\/qa-api-/);
    expect(error).toMatch(/tag ruleset/);
    nothingLeft(runnerDir);
    const markError = failed(await bench.run({ inputs: { mode: 'mark', service: 'api', version, stage: 'prod' }, sha: SHA }));
    expect(markError).toContain('lightweight');
    // An annotated tag written by hand (git tag -a) carries no record of this action: refused the same way.
    const r = bench.gh.git.repo(REPO);
    const tagSha = 'f00df00df00df00df00df00df00df00df00df00d';
    const tagger = { name: 'Jane Dev', email: 'jane@example.com', date: new Date().toISOString() };
    r.tags.set(tagSha, {
      sha: tagSha,
      tag: `qa-api-${version}`,
      message: 'qa passed, trust me\n',
      tagger,
      object: { sha: SHA, type: 'commit' },
    });
    r.refs.set(`refs/tags/qa-api-${version}`, tagSha);
    const foreign = failed(await bench.run({ inputs: { mode: 'fetch', service: 'api', version, stage: 'prod' }, sha: SHA, runnerDir }));
    expect(foreign).toContain(`qa-api-${version} was not written by promote-artifact for this build (its message holds no record)`);
    nothingLeft(runnerDir);
    r.refs.delete(`refs/tags/qa-api-${version}`);
  });

  it('stops a decompression bomb at the limit from the record, leaving nothing behind', async () => {
    const bomb = await tarGz([
      { name: 'dist/index.js', content: Buffer.from('x') },
      { name: 'dist/zeros.bin', content: Buffer.alloc(16 << 20) },
    ]);
    const key = `artifacts/api/service-api-${version}.tar.gz`;
    await bench.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bomb }));
    // The digest gates the bytes, so a bomb needs a forged record too; its sizes are what publish measured.
    bench.forgeRecord(tag, (r) => {
      r.sha256 = sha256(bomb);
      r.size = bomb.length;
    });
    try {
      const runnerDir = bench.workspace();
      const error = failed(
        await bench.run({ inputs: { mode: 'fetch', service: 'api', version, stage: 'qa', store: 's3' }, sha: SHA, runnerDir }),
      );
      expect(error).toMatch(/unpacks to more than \d+ bytes \(stopped at 'dist\/zeros.bin'/);
      expect(error).toContain('max-extract-bytes');
      nothingLeft(runnerDir);
    } finally {
      bench.gh.git.repo(REPO).refs.set(`refs/tags/${tag}`, original);
    }
  });

  it('enforces max-extract-files', async () => {
    const runnerDir = bench.workspace();
    const inputs = { mode: 'fetch', service: 'api', version, stage: 'qa', store: 'github', 'max-extract-files': '2' };
    const error = failed(await bench.run({ inputs, sha: SHA, runnerDir }));
    expect(error).toMatch(/more than 2 entries/);
    nothingLeft(runnerDir);
  });

  it('names the credentials step and id-token: write when the S3 fallback has no AWS credentials', async () => {
    const runnerDir = bench.workspace();
    const noCredentials = {
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(runnerDir, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(runnerDir, 'none'),
    };
    const inputs = { mode: 'fetch', service: 'api', version, stage: 'qa', store: 's3' };
    const error = failed(await bench.run({ inputs, sha: SHA, runnerDir, env: noCredentials }));
    expect(error).toContain('aws-actions/configure-aws-credentials');
    expect(error).toContain('id-token: write');
    expect(error).toContain(`qa for api ${version}`);
    nothingLeft(runnerDir);
  });

  it('uploads the zip container download-artifact unzips into service-{service}-{version}.tar.gz', async () => {
    const record = JSON.parse(bench.tagMessage(tag)) as { artifact_id: number; sha256: string; artifact_digest: string };
    const artifact = bench.gh.artifacts.find({ id: record.artifact_id })!;
    expect(artifact.name).toBe(`service-api-${version}.tar.gz`);
    expect(artifact.digest).toBe(record.artifact_digest);
    const dir = mkdtempSync(join(tmpdir(), 'promote-unzip-'));
    writeFileSync(join(dir, 'artifact.zip'), bench.gh.artifacts.content(artifact));
    // What download-artifact and gh run download do: unzip the container into the destination.
    execFileSync('python3', [
      '-c',
      'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])',
      join(dir, 'artifact.zip'),
      join(dir, 'out'),
    ]);
    expect(readdirSync(join(dir, 'out'))).toEqual([`service-api-${version}.tar.gz`]);
    expect(sha256(readFileSync(join(dir, 'out', `service-api-${version}.tar.gz`)))).toBe(record.sha256);
    expect(execFileSync('tar', ['tzf', join(dir, 'out', `service-api-${version}.tar.gz`)], { encoding: 'utf8' })).toContain(
      'dist/lib/util.js',
    );
  });
});

describe('archive layout', () => {
  it('packs the contents of root at the archive root and keeps links inside the tree as links', async () => {
    const version = '84fb588-20250602-100000';
    const files = { 'build/index.html': '<html>', 'build/assets/app.js': 'app', 'build/current.js': '-> assets/app.js' };
    ok(
      await bench.run({
        inputs: { mode: 'publish', service: 'site', version, root: 'build' },
        sha: SHA,
        runnerDir: bench.workspace(files),
      }),
    );
    const runnerDir = bench.workspace();
    ok(await bench.run({ inputs: { mode: 'fetch', service: 'site', version, path: 'deploy' }, sha: SHA, runnerDir }));
    const deploy = join(runnerDir, 'workspace', 'deploy');
    expect(readdirSync(deploy).sort()).toEqual(['assets', 'current.js', 'index.html']);
    expect(lstatSync(join(deploy, 'current.js')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(deploy, 'current.js'))).toBe('assets/app.js');
    expect(readFileSync(join(deploy, 'current.js'), 'utf8')).toBe('app');
  });

  it('refuses a link that leaves the packed tree, naming it, and publishes nothing', async () => {
    const version = '84fb588-20250603-100000';
    const files = { 'build/index.html': '<html>', 'build/host': '-> /etc/hostname' };
    const error = failed(
      await bench.run({
        inputs: { mode: 'publish', service: 'site', version, root: 'build' },
        sha: SHA,
        runnerDir: bench.workspace(files),
      }),
    );
    expect(error).toMatch(/host is a symbolic link to '\/etc\/hostname', which leaves the packed tree/);
    expect(bench.gh.git.repo(REPO).refs.has(`refs/tags/build-site-${version}`)).toBe(false);
  });

  it.each([
    ['zstd', '.tar.zst'],
    ['none', '.tar'],
  ])('round-trips compression: %s', async (compression, extension) => {
    const version = compression === 'zstd' ? '84fb588-20250604-100000' : '84fb588-20250605-100000';
    const p = ok(
      await bench.run({
        inputs: { mode: 'publish', service: 'api', version, path: 'dist', compression },
        sha: SHA,
        runnerDir: bench.workspace(BUILD),
      }),
    );
    expect(p.outputs['artifact-name']).toBe(`service-api-${version}${extension}`);
    const stored = await bench.client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: `artifacts/api/service-api-${version}${extension}` }),
    );
    const bytes = Buffer.from(await stored.Body!.transformToByteArray());
    expect(sha256(bytes)).toBe(p.outputs.sha256);
    const runnerDir = bench.workspace();
    ok(await bench.run({ inputs: { mode: 'fetch', service: 'api', version }, sha: SHA, runnerDir }));
    expect(readFileSync(join(runnerDir, 'workspace', 'artifact', 'dist', 'lib', 'util.js'), 'utf8')).toBe(BUILD['dist/lib/util.js']);
  });
});

describe('history written before v2 (plain tags, raw artifact)', () => {
  it('detects plain tags, says so, and fetches the old raw .tar.gz artifact', async () => {
    const version = '84fb588-20240101-100000';
    const archive = await tarGz([{ name: 'dist/old.js', content: Buffer.from('old') }]);
    const name = `service-legacy-${version}.tar.gz`;
    const artifact = bench.gh.artifacts.addArtifact({ name, content: archive, runId: 4001, contentType: 'application/gzip' });
    const record = {
      version,
      service: 'legacy',
      repository: REPO,
      commit: SHA,
      run_id: '4001',
      run_attempt: 1,
      workflow: 'Pipeline',
      artifact_name: name,
      artifact_id: artifact.id,
      sha256: sha256(archive),
      size: archive.length,
      s3_uri: null,
      created_at: '2024-01-01T10:00:00Z',
      expires_at: '2024-04-01T10:00:00Z',
      store: 'github',
    };
    const r = bench.gh.git.repo(REPO);
    const tagSha = 'abcabcabcabcabcabcabcabcabcabcabcabcabca';
    const tagger = {
      name: 'github-actions[bot]',
      email: '41898282+github-actions[bot]@users.noreply.github.com',
      date: '2024-01-01T10:00:00Z',
    };
    r.tags.set(tagSha, {
      sha: tagSha,
      tag: `build-${version}`,
      message: JSON.stringify(record, null, 2),
      tagger,
      object: { sha: SHA, type: 'commit' },
    });
    r.refs.set(`refs/tags/build-${version}`, tagSha);

    const runnerDir = bench.workspace();
    const f = ok(
      await bench.run({ inputs: { mode: 'fetch', service: 'legacy', version, stage: 'qa', store: 'github' }, sha: SHA, runnerDir }),
    );
    expect(readFileSync(join(runnerDir, 'workspace', 'artifact', 'dist', 'old.js'), 'utf8')).toBe('old');
    expect(f.outputs.tag).toBe(`qa-${version}`);
    expect(f.summary).toMatch(/tag-format: plain \(detected: 1 existing build-\{version\} tags/);
    expect(existsSync(join(runnerDir, 'workspace', 'artifact', 'dist', 'old.js'))).toBe(true);
  });
});
