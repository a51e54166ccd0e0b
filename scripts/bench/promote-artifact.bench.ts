// promote-artifact: 1 GiB publish + fetch through the loopback S3 server (moto) against
// `aws s3 cp --recursive` up and down on the same server, in one run.
// PROMOTE_BENCH_MB sets the size (default 1024); PROMOTE_BENCH_LEVEL the gzip level (default 6, the action's default).
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
const VERSION = '84fb588-20250120-143022';
const BUCKET = 'bench-artifacts';

/** Text-like content (base64 of random bytes): gzip saves about a quarter, as with built JS bundles. */
async function writePayload(dir: string, totalMb: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const fileMb = Math.min(128, totalMb);
  const count = Math.ceil(totalMb / fileMb);
  for (let i = 0; i < count; i++) {
    const out = createWriteStream(join(dir, `part-${String(i).padStart(3, '0')}.bin`));
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

export default async function (): Promise<BenchRow[]> {
  const totalMb = Number(process.env.PROMOTE_BENCH_MB ?? 1024);
  const level = process.env.PROMOTE_BENCH_LEVEL ?? '6';
  const aws = awsPath();
  if (!aws) throw new Error('The Debian awscli (/usr/bin/aws) is needed for the baseline: apt-get install -y awscli.');
  const work = mkdtempSync(join(tmpdir(), 'promote-bench-'));
  const [gh, s3] = await Promise.all([startFakeGitHub(), startS3Server()]);
  try {
    // moto does not check signatures; a plain PUT creates the bucket.
    const created = await fetch(`${s3.endpoint}/${BUCKET}`, { method: 'PUT' });
    if (!created.ok) throw new Error(`creating the bench bucket failed: ${created.status}`);
    gh.git.addCommit(DEFAULT_REPOSITORY, { sha: SHA });
    const workspace = join(work, 'workspace');
    console.error(`promote-artifact bench: writing ${totalMb} MiB of payload ...`);
    await writePayload(join(workspace, 'payload'), totalMb);

    // Baseline: the AWS CLI up and down, same files, same server.
    const awsEnv = { ...process.env, ...s3.env, AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
    const awsArgs = ['--endpoint-url', s3.endpoint, '--only-show-errors'];
    console.error('promote-artifact bench: aws s3 cp up ...');
    const awsUp = await measureCommand(
      aws,
      ['s3', 'cp', '--recursive', join(workspace, 'payload'), `s3://${BUCKET}/baseline/`, ...awsArgs],
      { env: awsEnv },
    );
    console.error('promote-artifact bench: aws s3 cp down ...');
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

    // Ours: the bundled action under Node 24, prepared as the runner prepares it, timed by GNU time.
    const runStep = async (name: string, inputs: Record<string, string>): Promise<CommandRun & { outputs: Record<string, string> }> => {
      const step = prepareStep(action, {
        runnerDir: work,
        inputs: {
          service: 'bench',
          version: VERSION,
          stages: 'build, qa, prod',
          's3-prefix': 'artifacts/',
          's3-endpoint': s3.endpoint,
          's3-force-path-style': 'true',
          bucket: BUCKET,
          store: 's3',
          token: 'ghs_writetoken',
          'compression-level': level,
          release: 'true',
          ...inputs,
        },
        env: { GITHUB_SHA: SHA, GITHUB_WORKFLOW: 'bench', GITHUB_ACTOR: 'bench', ...gh.server.env(), ...s3.env },
      });
      const run = await measureCommand(node24Path(), [step.entry], { env: step.env, cwd: step.workspace });
      if (run.exitCode !== 0) throw new Error(`promote-artifact ${name} failed: ${run.stdout.slice(-2000)} ${run.stderr.slice(-2000)}`);
      return { ...run, outputs: parseKeyValueFile(readFileSync(step.files.output, 'utf8')) };
    };
    console.error('promote-artifact bench: publish ...');
    const publish = await runStep('publish', { mode: 'publish', path: 'payload' });
    console.error('promote-artifact bench: fetch ...');
    const fetched = await runStep('fetch', { mode: 'fetch', stage: 'qa', path: join(work, 'fetched') });
    if (fetched.outputs.sha256 !== publish.outputs.sha256) throw new Error('fetch did not verify the published sha256');

    const oursMs = publish.wallMs + fetched.wallMs;
    const awsMs = awsUp.wallMs + awsDown.wallMs;
    const ratio = awsMs / oursMs;
    const peak = Math.max(publish.peakRssMb, fetched.peakRssMb);
    const mb = (n: number) => `${n} MiB`;
    const note = [
      `payload ${mb(totalMb)}, tarball ${(Number(publish.outputs.size) / 2 ** 20).toFixed(0)} MiB at gzip level ${level}`,
      `publish ${(publish.wallMs / 1000).toFixed(1)} s / ${publish.peakRssMb.toFixed(0)} MB`,
      `fetch ${(fetched.wallMs / 1000).toFixed(1)} s / ${fetched.peakRssMb.toFixed(0)} MB`,
      `aws up ${(awsUp.wallMs / 1000).toFixed(1)} s / ${awsUp.peakRssMb.toFixed(0)} MB, down ${(awsDown.wallMs / 1000).toFixed(1)} s / ${awsDown.peakRssMb.toFixed(0)} MB`,
    ].join('; ');
    console.error(note);
    return [
      {
        benchmark: `promote-artifact ${mb(totalMb)} publish+fetch via loopback S3`,
        ours: 'publish+fetch (pack, gzip, hash, multipart; download, verify, extract)',
        oursMedianMs: oursMs,
        baseline: 'aws s3 cp --recursive up+down',
        baselineMedianMs: awsMs,
        ratio,
        peakRssMb: peak,
        goal: 'ratio >= 0.8 and peak < 200 MB',
        met: ratio >= 0.8 && peak < 200,
        note,
      },
    ];
  } finally {
    await Promise.all([gh.stop(), s3.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
}
