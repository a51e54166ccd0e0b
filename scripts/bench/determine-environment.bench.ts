// Cold start of determine-environment: the bundled action resolving a scheduled run under Node 24,
// beside `node -e 0` (the floor any JavaScript action pays) and beside the inline bash it replaces.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { node24Path } from '../../packages/testing/src/node-runtime.js';
import { median, type BenchRow, type CommandRun } from './measure.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundle = join(root, 'actions', 'determine-environment', 'dist', 'index.js');
const RUNS = 21;
const SCHEDULES = '0 2 * * * => production\n0 */6 * * * => qa';
const WORKFLOW_REF = 'octo-org/pipeline-demo/.github/workflows/redcap.yml@refs/heads/main';

// The snippet from the issue, after the runner substituted its ${{ }} expressions for a 02:00 scheduled run.
const BASH_SNIPPET = `if [ "schedule" = "schedule" ]; then
  if [ "0 2 * * *" = "0 2 * * *" ]; then echo "environment=production" >> $GITHUB_OUTPUT
  else echo "environment=qa" >> $GITHUB_OUTPUT; fi
else echo "environment=" >> $GITHUB_OUTPUT; fi
`;

interface Run extends CommandRun {
  /** User + system CPU time (10 ms resolution): less sensitive than wall time to other work on the machine. */
  cpuMs: number;
}

/**
 * measureCommand's twin with stdin closed from the start (measureCommand writes '' to the child's stdin, and a
 * child that has already exited raises an unhandled EPIPE), which also reports CPU time.
 */
function measure(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '__TIME__ %M %U %S', command, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const match = /__TIME__ (\d+) ([\d.]+) ([\d.]+)\n?/.exec(stderr);
      resolve({
        wallMs,
        peakRssMb: match ? Number(match[1]) / 1024 : NaN,
        cpuMs: match ? (Number(match[2]) + Number(match[3])) * 1000 : NaN,
        exitCode,
        stdout,
        stderr: match ? stderr.replace(match[0], '') : stderr,
      });
    });
  });
}

export default async function (): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-determine-env-'));
  try {
    const node = node24Path();
    const output = join(dir, 'output');
    const event = join(dir, 'event.json');
    const script = join(dir, 'step.sh');
    const bare = join(dir, 'bare-workspace');
    const checkedOut = join(dir, 'workspace');
    mkdirSync(bare);
    mkdirSync(join(checkedOut, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(checkedOut, '.github', 'workflows', 'redcap.yml'),
      "on:\n  schedule:\n    - cron: '0 2 * * *'\n    - cron: '0 */6 * * *'\njobs: {}\n",
    );
    writeFileSync(event, JSON.stringify({ schedule: '0 2 * * *', repository: { full_name: 'octo-org/pipeline-demo' } }));
    writeFileSync(script, BASH_SNIPPET);
    for (const f of ['output', 'summary']) writeFileSync(join(dir, f), '');

    const baseEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      GITHUB_EVENT_NAME: 'schedule',
      GITHUB_EVENT_PATH: event,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: '84fb588e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a',
      GITHUB_WORKFLOW_REF: WORKFLOW_REF,
      INPUT_SCHEDULES: SCHEDULES,
      INPUT_ALLOWED: 'qa, production',
      'INPUT_COMMAND-PREFIX': '/',
      'INPUT_DRIFT-CHECK': 'true',
    };
    const check = (run: Run, what: string): Run => {
      if (run.exitCode !== 0) throw new Error(`${what} exited ${run.exitCode}: ${run.stdout}${run.stderr}`);
      return run;
    };
    const runs = { floor: [] as Run[], ours: [] as Run[], drift: [] as Run[], bash: [] as Run[] };
    // Interleaved, so load from other work on the machine hits every variant alike.
    for (let i = 0; i < RUNS; i++) {
      runs.floor.push(check(await measure(node, ['-e', '0'], { PATH: baseEnv.PATH }), 'node -e 0'));
      runs.ours.push(check(await measure(node, [bundle], { ...baseEnv, GITHUB_WORKSPACE: bare }), 'determine-environment'));
      runs.drift.push(
        check(await measure(node, [bundle], { ...baseEnv, GITHUB_WORKSPACE: checkedOut }), 'determine-environment (drift check)'),
      );
      runs.bash.push(check(await measure('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], baseEnv), 'bash snippet'));
    }
    const resolved = readFileSync(output, 'utf8');
    if (!/^environment<<ghadelimiter_[^\n]+\nproduction\n/m.test(resolved))
      throw new Error('determine-environment did not resolve production');

    const wall = (list: Run[]) => median(list.map((r) => r.wallMs));
    const cpu = (list: Run[]) => median(list.map((r) => r.cpuMs)).toFixed(0);
    const rss = (list: Run[]) => Math.max(...list.map((r) => r.peakRssMb));
    const [floor, ours, drift, bash] = [wall(runs.floor), wall(runs.ours), wall(runs.drift), wall(runs.bash)];
    return [
      {
        benchmark: `determine-environment cold start, schedule event (median of ${RUNS})`,
        ours: 'dist/index.js on Node 24',
        oursMedianMs: ours,
        baseline: 'node -e 0 (floor)',
        baselineMedianMs: floor,
        ratio: ours / floor,
        peakRssMb: rss(runs.ours),
        goal: '<= 2x floor and < 150 ms',
        met: ours <= 2 * floor && ours < 150,
        note: `ratio = ours / floor; CPU ${cpu(runs.ours)} vs ${cpu(runs.floor)} ms`,
      },
      {
        benchmark: 'determine-environment with the drift check reading the workflow file',
        ours: 'dist/index.js, workflow in workspace',
        oursMedianMs: drift,
        baseline: 'node -e 0 (floor)',
        baselineMedianMs: floor,
        ratio: drift / floor,
        peakRssMb: rss(runs.drift),
        goal: '< 150 ms',
        met: drift < 150,
        note: `ratio = ours / floor; CPU ${cpu(runs.drift)} vs ${cpu(runs.floor)} ms`,
      },
      {
        benchmark: 'determine-environment vs the inline bash it replaces',
        ours: 'dist/index.js on Node 24',
        oursMedianMs: ours,
        baseline: 'bash if/else snippet',
        baselineMedianMs: bash,
        ratio: ours / bash,
        peakRssMb: rss(runs.ours),
        goal: '< 150 ms (bash checks nothing)',
        met: ours < 150,
        note: `ratio = ours / bash; CPU ${cpu(runs.ours)} vs ${cpu(runs.bash)} ms`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
