// Cold start of determine-environment: the bundled action resolving a scheduled run under Node 24,
// beside `node -e 0` (the floor any JavaScript action pays) and beside the inline bash it replaces;
// and a slash command, which reads the commenter's permission and the pull request from the (fake) API.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeGitHub } from '../../packages/testing/src/github/index.js';
import { node24Path } from '../../packages/testing/src/node-runtime.js';
import { measureCommand, median, type BenchRow, type CommandRun } from './measure.js';

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

type Run = CommandRun;

const measure = (command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> => measureCommand(command, args, { env });

export default async function (): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-determine-env-'));
  const github = await startFakeGitHub();
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
    github.collaborators.set('octocat', 'write');
    github.issues.addPull({ number: 42, headSha: 'a'.repeat(40) });
    const commentEvent = join(dir, 'comment.json');
    const hostileEvent = join(dir, 'hostile.json');
    const commentPayload = (body: string) =>
      JSON.stringify({
        action: 'created',
        issue: { number: 42, pull_request: { url: 'x' } },
        comment: { id: 1, body, user: { login: 'octocat' } },
        sender: { login: 'octocat' },
      });
    writeFileSync(commentEvent, commentPayload('/bootstrap apply'));
    writeFileSync(hostileEvent, commentPayload(`/apply ${'$(x)'.repeat(256 * 1024)}`));
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
    const commandEnv = {
      PATH: baseEnv.PATH,
      GITHUB_OUTPUT: join(dir, 'command-output'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      GITHUB_EVENT_NAME: 'issue_comment',
      GITHUB_EVENT_PATH: commentEvent,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: baseEnv.GITHUB_SHA,
      GITHUB_REPOSITORY: 'octo-org/pipeline-demo',
      GITHUB_API_URL: github.url,
      GITHUB_WORKSPACE: bare,
      INPUT_COMMANDS: '{plan: [[], [platform]], apply: [[]], bootstrap: [[plan], [apply]]}',
      'INPUT_COMMAND-PREFIX': '/',
      'INPUT_ALLOWED-PERMISSION': 'write',
      'INPUT_REFUSAL-REACTION': 'none',
      INPUT_TOKEN: 'ghs_writetoken',
    };
    writeFileSync(commandEnv.GITHUB_OUTPUT, '');
    const runs = {
      floor: [] as Run[],
      ours: [] as Run[],
      drift: [] as Run[],
      bash: [] as Run[],
      command: [] as Run[],
      hostile: [] as Run[],
    };
    // Interleaved, so load from other work on the machine hits every variant alike.
    for (let i = 0; i < RUNS; i++) {
      runs.floor.push(check(await measure(node, ['-e', '0'], { PATH: baseEnv.PATH }), 'node -e 0'));
      runs.ours.push(check(await measure(node, [bundle], { ...baseEnv, GITHUB_WORKSPACE: bare }), 'determine-environment'));
      runs.drift.push(
        check(await measure(node, [bundle], { ...baseEnv, GITHUB_WORKSPACE: checkedOut }), 'determine-environment (drift check)'),
      );
      runs.bash.push(check(await measure('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], baseEnv), 'bash snippet'));
      runs.command.push(check(await measure(node, [bundle], commandEnv), 'determine-environment (slash command)'));
      runs.hostile.push(
        check(await measure(node, [bundle], { ...commandEnv, GITHUB_EVENT_PATH: hostileEvent }), 'determine-environment (1 MB comment)'),
      );
    }
    const resolved = readFileSync(output, 'utf8');
    if (!/^environment<<ghadelimiter_[^\n]+\nproduction\n/m.test(resolved))
      throw new Error('determine-environment did not resolve production');

    const wall = (list: Run[]) => median(list.map((r) => r.wallMs));
    const cpu = (list: Run[]) => median(list.map((r) => r.cpuMs)).toFixed(0);
    const rss = (list: Run[]) => Math.max(...list.map((r) => r.peakRssMb));
    if (!/^should-run<<ghadelimiter_[^\n]+\ntrue\n/m.test(readFileSync(commandEnv.GITHUB_OUTPUT, 'utf8')))
      throw new Error('determine-environment did not accept /bootstrap apply');
    const apiCalls = github.server.countRequests() / RUNS;
    const [floor, ours, drift, bash] = [wall(runs.floor), wall(runs.ours), wall(runs.drift), wall(runs.bash)];
    const [command, hostile] = [wall(runs.command), wall(runs.hostile)];
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
      {
        benchmark: 'determine-environment on a slash command: permission and pull request read through the API',
        ours: 'dist/index.js, fake GitHub on loopback',
        oursMedianMs: command,
        baseline: 'node -e 0 (floor)',
        baselineMedianMs: floor,
        ratio: command / floor,
        peakRssMb: rss(runs.command),
        goal: '< 400 ms',
        met: command < 400,
        note: `${apiCalls.toFixed(0)} API calls per run (the hostile row makes none); CPU ${cpu(runs.command)} ms`,
      },
      {
        benchmark: 'determine-environment refusing a 1 MB comment of $(x)',
        ours: 'dist/index.js, 1 MB comment body',
        oursMedianMs: hostile,
        baseline: 'the same action on /bootstrap apply',
        baselineMedianMs: command,
        ratio: hostile / command,
        peakRssMb: rss(runs.hostile),
        goal: '<= the accepted command (only 512 characters are read)',
        met: hostile <= command * 1.2,
        note: `CPU ${cpu(runs.hostile)} ms`,
      },
    ];
  } finally {
    await github.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
