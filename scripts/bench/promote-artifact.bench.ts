// promote-artifact: publish + fetch through the loopback S3 server (moto) against `aws s3 cp --recursive`
// up and down on the same server, in one run, for each compression (gzip on every core, zstd, none); then the
// peak resident size of publish and fetch at several payload sizes, which must not grow with the size.
// PROMOTE_BENCH_MB sets the ratio payload (default 1024); PROMOTE_BENCH_RSS_MB the RSS sizes (default 100,1024,5120).
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_REPOSITORY,
  node24Path,
  parseKeyValueFile,
  prepareStep,
  startFakeGitHub,
  startS3Server,
} from '../../packages/testing/src/index.js';
import { measureCommand, type BenchRow, type CommandRun } from './measure.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const action = join(root, 'actions', 'promote-artifact');
const SHA = '84fb588e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a';
const BUCKET = 'bench-artifacts';
const COMPRESSIONS = ['gzip', 'zstd', 'none'] as const;

/**
 * Text-like content (base64 of random bytes): gzip saves about a quarter, as with built JS bundles.
 * Files of 4 MiB, below the AWS CLI's 8 MiB multipart threshold: moto answers the CLI's concurrent
 * CompleteMultipartUpload of large files with 500 on a loaded machine (seen December 2026).
 */
async function writePayload(dir: string, totalMb: number): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const fileMb = Math.min(4, totalMb);
  const count = Math.ceil(totalMb / fileMb);
  for (let i = 0; i < count; i++) {
    const out = createWriteStream(join(dir, `part-${String(i).padStart(4, '0')}.bin`));
    for (let mb = 0; mb < fileMb; mb++) {
      if (!out.write(Buffer.from(randomBytes(786_432).toString('base64')))) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

function awsPath(): string | undefined {
  for (const p of ['/usr/bin/aws', '/bin/aws']) if (existsSync(p)) return p;
  return undefined;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export default async function (): Promise<BenchRow[]> {
  const totalMb = Number(process.env.PROMOTE_BENCH_MB ?? 1024);
  const rssSizes = (process.env.PROMOTE_BENCH_RSS_MB ?? '100,1024,5120')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const aws = awsPath();
  if (!aws) throw new Error('The Debian awscli (/usr/bin/aws) is needed for the baseline: apt-get install -y awscli.');
  const work = mkdtempSync(join(tmpdir(), 'promote-bench-'));
  const [gh, s3] = await Promise.all([startFakeGitHub(), startS3Server()]);
  const rows: BenchRow[] = [];
  let versionSeq = 0;
  try {
    // moto does not check signatures; a plain PUT creates the bucket.
    const created = await fetch(`${s3.endpoint}/${BUCKET}`, { method: 'PUT' });
    if (!created.ok) throw new Error(`creating the bench bucket failed: ${created.status}`);
    gh.git.addCommit(DEFAULT_REPOSITORY, { sha: SHA });
    const payload = join(work, 'workspace', 'payload');

    // Ours: the bundled action under Node 24, prepared as the runner prepares it, timed by GNU time.
    const runStep = async (name: string, inputs: Record<string, string>): Promise<CommandRun & { outputs: Record<string, string> }> => {
      const step = prepareStep(action, {
        runnerDir: work,
        inputs: {
          service: 'bench',
          stages: 'build, qa, prod',
          's3-prefix': 'artifacts/',
          's3-endpoint': s3.endpoint,
          's3-force-path-style': 'true',
          bucket: BUCKET,
          store: 's3',
          token: 'ghs_writetoken',
          release: 'false',
          ...inputs,
        },
        env: { GITHUB_SHA: SHA, GITHUB_WORKFLOW: 'bench', GITHUB_ACTOR: 'bench', ...gh.server.env(), ...s3.env },
      });
      const run = await measureCommand(node24Path(), [step.entry], { env: step.env, cwd: step.workspace });
      if (run.exitCode !== 0) throw new Error(`promote-artifact ${name} failed: ${run.stdout.slice(-2000)} ${run.stderr.slice(-2000)}`);
      return { ...run, outputs: parseKeyValueFile(readFileSync(step.files.output, 'utf8')) };
    };
    /** One publish and one fetch of the payload; the fetched copy is removed afterwards. */
    const roundTrip = async (compression: string) => {
      const version = `84fb588-20250120-${String(100000 + ++versionSeq)}`;
      console.error(`promote-artifact bench: ${compression} publish + fetch ...`);
      const publish = await runStep('publish', { mode: 'publish', version, path: 'payload', compression });
      const fetched = await runStep('fetch', { mode: 'fetch', version, stage: 'build', path: join(work, 'fetched'), compression });
      if (fetched.outputs.sha256 !== publish.outputs.sha256) throw new Error('fetch did not verify the published sha256');
      rmSync(join(work, 'fetched'), { recursive: true, force: true });
      return { publish, fetched, archiveMb: Number(publish.outputs.size) / 2 ** 20 };
    };

    console.error(`promote-artifact bench: writing ${totalMb} MiB of payload ...`);
    await writePayload(payload, totalMb);
    // Baseline: the AWS CLI up and down, same files, same server.
    const awsEnv = { ...process.env, ...s3.env, AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
    const awsArgs = ['--endpoint-url', s3.endpoint, '--only-show-errors'];
    console.error('promote-artifact bench: aws s3 cp up + down ...');
    const awsUp = await measureCommand(aws, ['s3', 'cp', '--recursive', payload, `s3://${BUCKET}/baseline/`, ...awsArgs], { env: awsEnv });
    const awsDown = await measureCommand(aws, ['s3', 'cp', '--recursive', `s3://${BUCKET}/baseline/`, join(work, 'aws-down'), ...awsArgs], {
      env: awsEnv,
    });
    for (const [name, r] of [
      ['aws up', awsUp],
      ['aws down', awsDown],
    ] as const) {
      if (r.exitCode !== 0) throw new Error(`${name} failed: ${r.stderr.slice(-2000)}`);
    }
    rmSync(join(work, 'aws-down'), { recursive: true, force: true });
    const awsMs = awsUp.wallMs + awsDown.wallMs;

    const peaks = new Map<number, number>();
    for (const compression of COMPRESSIONS) {
      const { publish, fetched, archiveMb } = await roundTrip(compression);
      const oursMs = publish.wallMs + fetched.wallMs;
      const ratio = awsMs / oursMs;
      const peak = Math.max(publish.peakRssMb, fetched.peakRssMb);
      if (compression === 'gzip') peaks.set(totalMb, peak);
      const note = [
        `${availableParallelism()} cores; archive ${archiveMb.toFixed(0)} MiB`,
        `publish ${seconds(publish.wallMs)} / ${publish.peakRssMb.toFixed(0)} MB, fetch ${seconds(fetched.wallMs)} / ${fetched.peakRssMb.toFixed(0)} MB`,
        `aws up ${seconds(awsUp.wallMs)} / ${awsUp.peakRssMb.toFixed(0)} MB, down ${seconds(awsDown.wallMs)} / ${awsDown.peakRssMb.toFixed(0)} MB`,
      ].join('; ');
      console.error(`${compression}: ratio ${ratio.toFixed(2)}; ${note}`);
      rows.push({
        benchmark: `promote-artifact ${totalMb} MiB publish+fetch, compression ${compression}`,
        ours: 'publish+fetch (pack, compress, hash, multipart; download, verify, extract)',
        oursMedianMs: oursMs,
        baseline: 'aws s3 cp --recursive up+down',
        baselineMedianMs: awsMs,
        ratio,
        peakRssMb: peak,
        goal: compression === 'gzip' ? 'ratio >= 1.0' : 'reported',
        met: compression === 'gzip' ? ratio >= 1.0 : true,
        note,
      });
    }

    // Peak resident size by payload size (gzip, the default): bounded streams keep it flat.
    for (const size of rssSizes) {
      if (peaks.has(size)) continue;
      console.error(`promote-artifact bench: writing ${size} MiB for the memory row ...`);
      await writePayload(payload, size);
      const { publish, fetched } = await roundTrip('gzip');
      peaks.set(size, Math.max(publish.peakRssMb, fetched.peakRssMb));
      console.error(
        `${size} MiB: publish ${seconds(publish.wallMs)} / ${publish.peakRssMb.toFixed(0)} MB, fetch ${seconds(fetched.wallMs)} / ${fetched.peakRssMb.toFixed(0)} MB`,
      );
    }
    const sizes = [...peaks.keys()].sort((a, b) => a - b);
    const values = sizes.map((s) => peaks.get(s)!);
    const spread = Math.max(...values) - Math.min(...values);
    rows.push({
      benchmark: `promote-artifact peak RSS by payload (${sizes.map((s) => `${s} MiB`).join(', ')})`,
      ours: 'max(publish, fetch) peak RSS, gzip',
      oursMedianMs: 0,
      baseline: '-',
      baselineMedianMs: 0,
      ratio: 0,
      peakRssMb: Math.max(...values),
      goal: 'flat: within 64 MB across sizes',
      met: spread <= 64,
      note: sizes.map((s, i) => `${s} MiB: ${values[i].toFixed(0)} MB`).join('; '),
    });
    return rows;
  } finally {
    await Promise.all([gh.stop(), s3.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
}
