// validate-batch on a large batch vs the bash it replaces (`aws s3 ls --recursive | wc -l` + `aws s3 ls` for the tables),
// both against the same loopback moto S3 server. Sizes: VB_BENCH_FRAGMENTS (100000), VB_BENCH_TABLES (50), VB_BENCH_ROUNDS (3).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { node24Path } from '../../packages/testing/src/node-runtime.js';
import { parseKeyValueFile } from '../../packages/testing/src/workflow-commands.js';
import { measureCommand, median, type BenchRow, type CommandRun } from './measure.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FRAGMENTS = Number(process.env.VB_BENCH_FRAGMENTS ?? 100_000);
const TABLES = Number(process.env.VB_BENCH_TABLES ?? 50);
const ROUNDS = Number(process.env.VB_BENCH_ROUNDS ?? 3);
const BUCKET = 'bench-batches';
const BATCH = 'batch_20241101_120000';
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing-secret',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
};

// moto's server in-process, seeded through its S3 backend before it serves: putting 100,000 objects through
// the HTTP API takes many minutes on a shared 2-core machine (about 10 ms a put), in-process takes seconds.
// The listing both tools do afterwards is plain ListObjectsV2 over HTTP, the same as against a seeded-by-PUT server.
const SEED_SERVER = `
import logging, os, sys, time
os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "true")
logging.getLogger("werkzeug").setLevel(logging.ERROR)
from moto.server import ThreadedMotoServer
from moto.s3.models import s3_backends
from moto.core import DEFAULT_ACCOUNT_ID
bucket, batch, n, tables = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
started = time.time()
backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
backend.create_bucket(bucket, "us-east-1")
body = b"x" * 256
for t in range(tables):
    backend.put_object(bucket, f"validated/{batch}/table_{t:02d}/", b"", disable_notification=True)
for i in range(n):
    backend.put_object(bucket, f"validated/{batch}/table_{i % tables:02d}/part-{i:07d}.parquet", body, disable_notification=True)
# A sibling batch the trailing-slash-less bash would also have counted.
backend.put_object(bucket, f"validated/{batch}1/table_00/part-0.parquet", body, disable_notification=True)
print(server.get_host_and_port()[1], int((time.time() - started) * 1000), flush=True)
sys.stdin.read()
server.stop()
`;

interface SeededServer {
  endpoint: string;
  seedMs: number;
  stop(): Promise<void>;
}

function startSeededServer(): Promise<SeededServer> {
  const child: ChildProcess = spawn(
    process.env.PYTHON ?? 'python3',
    ['-c', SEED_SERVER, BUCKET, BATCH, String(FRAGMENTS), String(TABLES)],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.stdin?.end();
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`moto was not seeded within 10 minutes: ${stderr}`));
    }, 600_000);
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const match = /^(\d+) (\d+)\n/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ endpoint: `http://127.0.0.1:${match[1]}`, seedMs: Number(match[2]), stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`moto exited with ${code}: ${stderr}`));
    });
  });
}

/** Debian's awscli v2 (a pyenv shim may shadow it on PATH without a working install behind it). */
function findAws(): string {
  for (const candidate of ['/usr/bin/aws', 'aws']) {
    if (spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  throw new Error('No working aws CLI found (apt-get install awscli).');
}

async function runOurs(endpoint: string): Promise<CommandRun & { outputs: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'vb-bench-'));
  const files = { output: join(dir, 'output'), summary: join(dir, 'summary') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...CREDENTIALS,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: dir,
    GITHUB_RUN_ID: '1',
    GITHUB_ACTOR: 'bench',
    'INPUT_BATCH-ID': BATCH,
    INPUT_BUCKET: BUCKET,
    INPUT_PREFIX: 'validated/',
    'INPUT_S3-ENDPOINT': endpoint,
    'INPUT_S3-FORCE-PATH-STYLE': 'true',
    'INPUT_MIN-FRAGMENTS': '1',
    'INPUT_FAIL-IF-LOADED': 'true',
    'INPUT_VERIFY-MANIFEST': 'auto',
    INPUT_CONCURRENCY: '16',
    INPUT_MODE: 'validate',
  };
  const run = await measureCommand(node24Path(), [join(root, 'actions', 'validate-batch', 'dist', 'index.js')], { env });
  const outputs = parseKeyValueFile(readFileSync(files.output, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  if (run.exitCode !== 0 || outputs['fragment-count'] !== String(FRAGMENTS)) {
    throw new Error(
      `validate-batch failed (exit ${run.exitCode}, fragment-count ${outputs['fragment-count']}): ${run.stdout}\n${run.stderr}`,
    );
  }
  return { ...run, outputs };
}

async function runBaseline(aws: string, endpoint: string): Promise<CommandRun> {
  // The bash being replaced, verbatim in spirit: a recursive count (which also counts the placeholders) and a table listing.
  const uri = `s3://${BUCKET}/validated/${BATCH}/`;
  const script = `set -euo pipefail
COUNT=$("${aws}" s3 ls --recursive "${uri}" --endpoint-url "${endpoint}" | wc -l)
TABLES=$("${aws}" s3 ls "${uri}" --endpoint-url "${endpoint}" | awk '{print $2}' | tr -d / | sort | tr '\\n' ' ')
echo "$COUNT"
echo "$TABLES"`;
  const run = await measureCommand('bash', ['-c', script], { env: { ...process.env, ...CREDENTIALS, AWS_PAGER: '' } });
  const count = Number(run.stdout.split('\n')[0]);
  if (run.exitCode !== 0 || count < FRAGMENTS) throw new Error(`baseline failed (exit ${run.exitCode}, count ${count}): ${run.stderr}`);
  return run;
}

export default async function (): Promise<BenchRow[]> {
  const aws = findAws();
  console.error(`seeding ${FRAGMENTS} fragments in ${TABLES} tables into moto ...`);
  const server = await startSeededServer();
  console.error(`seeded in ${(server.seedMs / 1000).toFixed(1)} s; ${ROUNDS} round(s) of each tool`);
  try {
    const ours: CommandRun[] = [];
    const baseline: CommandRun[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order so neither tool always runs on a warmer server.
      if (round % 2 === 0) {
        ours.push(await runOurs(server.endpoint));
        baseline.push(await runBaseline(aws, server.endpoint));
      } else {
        baseline.push(await runBaseline(aws, server.endpoint));
        ours.push(await runOurs(server.endpoint));
      }
      console.error(`round ${round + 1}: ours ${ours.at(-1)!.wallMs.toFixed(0)} ms, aws cli ${baseline.at(-1)!.wallMs.toFixed(0)} ms`);
    }
    const oursMs = median(ours.map((r) => r.wallMs));
    const baselineMs = median(baseline.map((r) => r.wallMs));
    const peak = Math.max(...ours.map((r) => r.peakRssMb));
    const ratio = baselineMs / oursMs;
    return [
      {
        benchmark: `validate-batch: ${FRAGMENTS.toLocaleString('en-US')} fragments in ${TABLES} tables, loopback moto S3`,
        ours: 'validate-batch dist (Node 24)',
        oursMedianMs: oursMs,
        baseline: 'aws s3 ls --recursive \\| wc -l + aws s3 ls (awscli v2)',
        baselineMedianMs: baselineMs,
        ratio,
        peakRssMb: peak,
        goal: '>= 5x faster, peak RSS < 200 MB',
        met: ratio >= 5 && peak < 200,
        note: `median of ${ROUNDS}; moto seeded in-process in ${(server.seedMs / 1000).toFixed(1)} s; moto sorts every matching key per page, which costs one long listing more than 50 short ones`,
      },
    ];
  } finally {
    await server.stop();
  }
}
