// Time from step start to a ready tunnel on loopback: the bundled ssh-tunnel main under Node 24
// against the seed's bash (write key, ssh-keyscan, `ssh -f -N -L`, `until nc -z; do sleep 1; done`),
// and a fair bash variant (pinned key, ExitOnForwardFailure, 20 ms polls). Same sshd, interleaved rounds.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../packages/testing/src/free-port.js';
import { inputEnvName } from '../../packages/testing/src/harness.js';
import { node24Path } from '../../packages/testing/src/node-runtime.js';
import { startSshd, type SshdServer } from '../../packages/testing/src/sshd.js';
import { parseKeyValueFile } from '../../packages/testing/src/workflow-commands.js';
import { measureCommand, median, type BenchRow, type CommandRun } from './measure.js';

type TimedRun = CommandRun;

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const actionDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../actions/ssh-tunnel');

/** Pids of live processes whose command line contains `marker` (a per-round temp path): ours only. */
function pidsWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

function check(run: TimedRun, what: string): TimedRun {
  if (run.exitCode !== 0) throw new Error(`${what} failed (${run.exitCode}): ${run.stderr}\n${run.stdout}`);
  return run;
}

async function runOurs(sshd: SshdServer, targetPort: number): Promise<{ main: TimedRun; post: TimedRun; readyMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-runner-'));
  const temp = join(dir, 'temp');
  mkdirSync(temp);
  const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STATE: join(dir, 'state'), GITHUB_STEP_SUMMARY: join(dir, 'summary') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const local = await freePort();
  const inputs: Record<string, string> = {
    host: '127.0.0.1',
    port: String(sshd.port),
    user: sshd.user,
    'private-key': sshd.clientKey.privateKey,
    'known-hosts': sshd.knownHostsLine,
    forwards: `${local}:127.0.0.1:${targetPort}`,
    'trust-on-first-use': 'false',
    'timeout-seconds': '30',
    'keepalive-seconds': '15',
    'keepalive-count-max': '3',
    'verify-forwards': 'true',
  };
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, RUNNER_TEMP: temp, GITHUB_ACTIONS: 'true', ...files };
  for (const [name, value] of Object.entries(inputs)) env[inputEnvName(name)] = value;
  try {
    const main = check(await measureCommand(node24Path(), [join(actionDir, 'dist/index.js')], { env, cwd: dir }), 'ssh-tunnel main');
    const outputs = parseKeyValueFile(readFileSync(files.GITHUB_OUTPUT, 'utf8'));
    const state = parseKeyValueFile(readFileSync(files.GITHUB_STATE, 'utf8'));
    const postEnv: NodeJS.ProcessEnv = { ...env };
    for (const [name, value] of Object.entries(state)) postEnv[`STATE_${name}`] = value;
    const post = check(
      await measureCommand(node24Path(), [join(actionDir, 'dist/post/index.js')], { env: postEnv, cwd: dir }),
      'ssh-tunnel post',
    );
    return { main, post, readyMs: Number(outputs['ready-ms']) };
  } finally {
    for (const pid of pidsWith(temp)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

// The seed's steps, as the pipelines ran them (with a temp dir standing in for ~/.ssh).
const SEED = `set -e
mkdir -p "$SSHDIR"
echo "$SSH_PRIVATE_KEY" > "$SSHDIR/id_rsa"
chmod 600 "$SSHDIR/id_rsa"
ssh-keyscan -p "$BASTION_PORT" "$BASTION" >> "$SSHDIR/known_hosts" 2>/dev/null
ssh -f -N -o UserKnownHostsFile="$SSHDIR/known_hosts" -i "$SSHDIR/id_rsa" -p "$BASTION_PORT" -L "$LOCAL:$DB_HOST:$DB_PORT" "$BASTION_USER@$BASTION"
# nc -z localhost PORT, with bash's /dev/tcp where nc is missing; same 1 s sleep between tries.
probe() { if command -v nc >/dev/null; then nc -z localhost "$LOCAL"; else (exec 3<>"/dev/tcp/127.0.0.1/$LOCAL") 2>/dev/null; fi; }
export -f probe
timeout 30 bash -c 'until probe; do sleep 1; done'
`;

// What a careful bash would do: pinned key, no user config, fail on forward failure, fast polls.
const FAIR = `set -e
mkdir -p "$SSHDIR"
printf '%s\\n' "$SSH_PRIVATE_KEY" > "$SSHDIR/id"
chmod 600 "$SSHDIR/id"
printf '%s\\n' "$KNOWN_HOSTS" > "$SSHDIR/known_hosts"
ssh -f -N -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes -o ExitOnForwardFailure=yes -o IdentitiesOnly=yes \\
  -o UserKnownHostsFile="$SSHDIR/known_hosts" -i "$SSHDIR/id" -p "$BASTION_PORT" -L "127.0.0.1:$LOCAL:$DB_HOST:$DB_PORT" "$BASTION_USER@$BASTION"
for i in $(seq 1 1500); do (exec 3<>"/dev/tcp/127.0.0.1/$LOCAL") 2>/dev/null && exit 0; sleep 0.02; done
exit 1
`;

async function runBash(script: string, sshd: SshdServer, targetPort: number): Promise<TimedRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bash-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    SSHDIR: join(dir, 'ssh'),
    SSH_PRIVATE_KEY: sshd.clientKey.privateKey,
    KNOWN_HOSTS: sshd.knownHostsLine,
    BASTION: '127.0.0.1',
    BASTION_PORT: String(sshd.port),
    BASTION_USER: sshd.user,
    DB_HOST: '127.0.0.1',
    DB_PORT: String(targetPort),
    LOCAL: String(await freePort()),
  };
  try {
    return check(await measureCommand('bash', ['-c', script], { env, cwd: dir }), 'bash tunnel');
  } finally {
    for (const pid of pidsWith(dir)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function (): Promise<BenchRow[]> {
  const sshd = await startSshd();
  const target = createServer((socket) => socket.end());
  await new Promise<void>((done) => target.listen(0, '127.0.0.1', () => done()));
  const targetPort = (target.address() as { port: number }).port;
  const ours: number[] = [];
  const oursRss: number[] = [];
  const readyMs: number[] = [];
  const post: number[] = [];
  const seed: number[] = [];
  const fair: number[] = [];
  const cpu = { ours: [] as number[], seed: [] as number[], fair: [] as number[] };
  try {
    // One warm-up of each (disk cache, sshd's first fork), then interleaved rounds.
    await runOurs(sshd, targetPort);
    await runBash(SEED, sshd, targetPort);
    for (let round = 0; round < ROUNDS; round++) {
      const run = await runOurs(sshd, targetPort);
      ours.push(run.main.wallMs);
      oursRss.push(run.main.peakRssMb);
      readyMs.push(run.readyMs);
      post.push(run.post.wallMs);
      cpu.ours.push(run.main.cpuMs);
      const seedRun = await runBash(SEED, sshd, targetPort);
      seed.push(seedRun.wallMs);
      cpu.seed.push(seedRun.cpuMs);
      const fairRun = await runBash(FAIR, sshd, targetPort);
      fair.push(fairRun.wallMs);
      cpu.fair.push(fairRun.cpuMs);
      console.error(
        `round ${round + 1}/${ROUNDS}: ours ${run.main.wallMs.toFixed(0)} ms, seed bash ${seed.at(-1)?.toFixed(0)} ms, fair bash ${fair.at(-1)?.toFixed(0)} ms`,
      );
    }
  } finally {
    target.close();
    await sshd.stop();
  }
  const o = median(ours);
  const rss = Math.max(...oursRss);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  const cpuNote = `CPU ms (user+sys, children included) ours ${median(cpu.ours).toFixed(0)}, seed bash ${median(cpu.seed).toFixed(0)}, fair bash ${median(cpu.fair).toFixed(0)}; load average ${load}`;
  const common = `${ROUNDS} rounds, same sshd on loopback; ours = whole step (Node 24 start, pinned host key, ssh alive, channel to the remote opened); action's own ready-ms median ${median(readyMs).toFixed(0)}; ${cpuNote}`;
  return [
    {
      benchmark: 'ssh-tunnel: step start to tunnel ready',
      ours: 'ssh-tunnel main (bundle, Node 24)',
      oursMedianMs: o,
      baseline: 'seed bash (keyscan, ssh -f, until nc -z; sleep 1)',
      baselineMedianMs: median(seed),
      ratio: median(seed) / o,
      peakRssMb: rss,
      goal: 'ours <= 1.5x seed bash',
      met: o <= 1.5 * median(seed),
      note: common,
    },
    {
      benchmark: 'ssh-tunnel: step start to tunnel ready (fair bash)',
      ours: 'ssh-tunnel main (bundle, Node 24)',
      oursMedianMs: o,
      baseline: 'bash: pinned key, ExitOnForwardFailure, 20 ms polls',
      baselineMedianMs: median(fair),
      ratio: median(fair) / o,
      peakRssMb: rss,
      goal: 'report only (<= 1.5x)',
      met: o <= 1.5 * median(fair),
      note: `the fair bash neither checks the remote nor cleans up; ${cpuNote}`,
    },
    {
      benchmark: 'ssh-tunnel: post cleanup',
      ours: 'ssh-tunnel post (TERM, ports closed, dir deleted)',
      oursMedianMs: median(post),
      baseline: 'none in the seed (cleanup ran on another runner)',
      baselineMedianMs: NaN,
      ratio: NaN,
      peakRssMb: NaN,
      goal: 'report only',
      met: true,
    },
  ];
}
