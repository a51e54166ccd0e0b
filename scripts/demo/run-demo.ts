// The demo: starts the loopback S3 (moto), the fake GitHub API and the Slack capture server, runs the two chains
// with every action's bundled dist (as the runner does), then checks that the two refusals happen.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeGitHub, type FakeGitHubApi } from '../../packages/testing/src/github/index.js';
import { DEFAULT_REPOSITORY } from '../../packages/testing/src/harness.js';
import { findPythonWithMoto, startS3Server, type S3TestServer } from '../../packages/testing/src/s3-server.js';
import { startSlackServer, type SlackServer } from '../../packages/testing/src/slack-server.js';
import type { DemoContext } from './context.js';
import { describeBatch, refuseSecondLoad, runFragmentIngestion } from './fragment-chain.js';
import { refuseProdWithoutQa, runPromotionChain } from './promotion-chain.js';
import { sampleBatchId, seedSampleBatch } from './seed.js';
import { StepRunner } from './steps.js';
import { formatMs, Transcript, type StepRecord } from './transcript.js';

export interface DemoOptions {
  /** Open a real tunnel through a throwaway sshd (needs openssh-server). */
  withSsh?: boolean;
  /** Receives each transcript line as it is written. */
  write?: (line: string) => void;
  color?: boolean;
  /** Print every step's full log (stdout and stderr). */
  verbose?: boolean;
}

export interface DemoResult {
  ok: boolean;
  steps: StepRecord[];
  transcript: string;
  durationMs: number;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ACTIONS = ['determine-environment', 'validate-batch', 'ssh-tunnel', 'dashboard-update', 'promote-artifact', 'notify-slack'];

export const MOTO_MISSING =
  "moto's S3 server is not installed, and the demo's S3 is moto on loopback. Install it with\n" +
  '    python3 -m pip install "moto[server]"\n' +
  'then run pnpm demo again (PYTHON=/path/to/python3 pnpm demo picks the interpreter that has it).';

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const started = Date.now();
  const t = new Transcript({ write: options.write, color: options.color });
  t.line(t.paint('pipeline-actions demo: fragment ingestion and build → QA → production, every action run from its bundled dist', 'bold'));
  t.line(t.paint('as the runner runs it, against loopback S3, GitHub and Slack servers. No credentials, no network.', 'dim'));

  const search = findPythonWithMoto();
  if (!search.python) {
    t.line();
    t.step({ name: 'start the loopback S3 server', outcome: 'fail', note: `${MOTO_MISSING}\n(tried: ${search.tried.join(', ')})` });
    return finish(t, started);
  }

  const workDir = mkdtempSync(join(tmpdir(), 'pipeline-demo-'));
  let s3: S3TestServer | undefined;
  let github: FakeGitHubApi | undefined;
  let slack: SlackServer | undefined;
  try {
    const serversStarted = Date.now();
    [s3, github, slack] = await Promise.all([startS3Server(), startFakeGitHub(), startSlackServer()]);
    const serversMs = Date.now() - serversStarted;
    const baseEnv = {
      ...s3.env,
      // Everything an action could reach goes to loopback; GITHUB_SERVER_URL stays github.com (links only).
      GITHUB_API_URL: github.url,
      GITHUB_GRAPHQL_URL: `${github.url}/graphql`,
      GITHUB_REPOSITORY: DEFAULT_REPOSITORY,
      GITHUB_REPOSITORY_OWNER: DEFAULT_REPOSITORY.split('/')[0],
    };
    const runner = (tr: Transcript) => new StepRunner(tr, join(ROOT, 'actions'), baseEnv, options.verbose ?? false);
    const steps = runner(t);
    const ctx: DemoContext = { t, steps, s3, github, slack, repo: DEFAULT_REPOSITORY, withSsh: options.withSsh ?? false, workDir };
    // The two chains are independent: they run at the same time; the promotion chain's lines wait in a fork.
    const fork = (): DemoContext => {
      const tr = t.fork();
      return { ...ctx, t: tr, steps: runner(tr) };
    };
    const promotion = fork();
    const loadRefusal = fork();
    const prodRefusal = fork();

    const batch = await seedSampleBatch(s3.clientConfig, 'demo-fragments', sampleBatchId());
    t.line();
    t.line(`  S3 (moto)     ${s3.endpoint}   ${describeBatch(batch)}`);
    t.line(`  GitHub API    ${github.url}   repository ${ctx.repo}`);
    t.line(`  Slack         ${slack.url}   Web API at ${slack.apiUrl}`);
    t.line(t.paint(`  (servers up in ${formatMs(serversMs)}; moto's start is most of it)`, 'dim'));
    const missing = ACTIONS.map((a) => steps.notBuilt(a)).filter((m): m is string => m !== undefined);
    if (missing.length > 0) t.line(t.paint(`  Not built yet: ${missing.join('; ')}`, 'red'));

    const chains = await Promise.allSettled([
      (async () => {
        const firstLoad = await runFragmentIngestion(ctx, batch);
        if (firstLoad) await refuseSecondLoad(loadRefusal, batch, firstLoad);
        else loadRefusal.steps.skip('second load of the same batch is refused', 'not run: the first load did not complete');
      })(),
      (async () => {
        // The refusal needs only a published version, so it runs while that version goes through QA and production.
        let refusal: Promise<void> | undefined;
        await runPromotionChain(promotion, (published) => (refusal = refuseProdWithoutQa(prodRefusal, published)));
        if (refusal) await refusal;
        else prodRefusal.steps.skip('production refuses a version without a QA tag', 'not run: nothing was published');
      })(),
    ]);
    t.append(promotion.t);
    t.section('Refusals · what must not happen, does not happen');
    t.append(loadRefusal.t);
    t.append(prodRefusal.t);
    for (const chain of chains) {
      if (chain.status === 'rejected') t.step({ name: 'demo harness', outcome: 'fail', note: `crashed: ${describeError(chain.reason)}` });
    }
  } catch (error) {
    t.step({ name: 'demo harness', outcome: 'fail', note: `crashed: ${describeError(error)}` });
  } finally {
    await Promise.all([s3?.stop(), github?.stop(), slack?.stop()]);
    rmSync(workDir, { recursive: true, force: true });
  }
  return finish(t, started);
}

function finish(t: Transcript, started: number): DemoResult {
  const { pass, fail, skip } = t.counts();
  const durationMs = Date.now() - started;
  // A skip is only fine for the tunnel (no sshd needed); any other skip means a chain stopped early.
  const badSkips = t.steps.filter((s) => s.outcome === 'skip' && !s.name.startsWith('ssh-tunnel'));
  const ok = fail === 0 && badSkips.length === 0 && pass > 0;
  t.line();
  t.line(t.paint('━'.repeat(100), 'bold'));
  const summary = `${pass} passed, ${fail} failed, ${skip} skipped in ${formatMs(durationMs)}`;
  t.line(ok ? t.paint(`✓ demo green: ${summary}`, 'green') : t.paint(`✗ demo failed: ${summary}`, 'red'));
  for (const s of t.steps.filter((x) => x.outcome === 'fail')) t.line(t.paint(`  ✗ ${s.name}: ${s.note.split('\n')[0]}`, 'red'));
  return { ok, steps: t.steps, transcript: t.text(), durationMs };
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
