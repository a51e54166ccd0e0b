// The demo: the reference workflows in workflows/ executed as they are with run-workflow against local services
// (moto S3, the fake GitHub API, the Slack capture server, sshd + PostgreSQL for the tunnel): fragment ingestion and
// the build -> QA -> production chain, then the refusals that must happen.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { postgresMissing } from '../../packages/testing/src/postgres.js';
import { findPythonWithMoto } from '../../packages/testing/src/s3-server.js';
import { sshdMissing } from '../../packages/testing/src/sshd.js';
import { runWorkflow, startLocalServices, type LocalServices, type RunResult } from '../run-workflow/src/index.js';
import { makeRepo, sampleBatchId, sampleFragments, SAMPLE_TABLES } from './repos.js';
import { check, showRun, showSlack } from './show.js';
import { formatMs, Transcript, type StepRecord } from './transcript.js';

export interface DemoOptions {
  /** Receives each transcript line as it is written. */
  write?: (line: string) => void;
  color?: boolean;
  /** Print every step's own output lines too. */
  verbose?: boolean;
}

export interface DemoResult {
  ok: boolean;
  steps: StepRecord[];
  transcript: string;
  durationMs: number;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const MOTO_MISSING =
  "moto's S3 server is not installed, and the demo's S3 is moto on loopback. Install it with\n" +
  '    python3 -m pip install "moto[server]"\n' +
  'then run pnpm demo again (PYTHON=/path/to/python3 pnpm demo picks the interpreter that has it).';

interface Part {
  t: Transcript;
  services: LocalServices;
  workDir: string;
  verbose: boolean;
}

async function run(part: Part, title: string, subtitle: string, options: Parameters<typeof runWorkflow>[0]): Promise<RunResult> {
  const slackBefore = part.services.slack.messages.length;
  const result = await runWorkflow({ ...options, services: part.services });
  showRun(part.t, { title, subtitle }, result, part.verbose);
  showSlack(part.t, part.services, slackBefore);
  return result;
}

const workflow = (name: string) => join(ROOT, 'workflows', `${name}.yml`);
const jobResults = (r: RunResult) =>
  Object.entries(r.jobs)
    .map(([id, j]) => `${id}=${j.result}`)
    .join(', ');

async function fragmentIngestion(part: Part): Promise<void> {
  const { services, t } = part;
  const repo = makeRepo(ROOT, part.workDir, 'fragments', ['fragment-ingestion']);
  const batch = sampleBatchId();
  const fragments = sampleFragments(batch);
  for (const f of fragments) await services.s3Client.send(new PutObjectCommand({ Bucket: 'fragments', Key: f.key, Body: f.body }));
  const rows = SAMPLE_TABLES.reduce((n, s) => n + s.fragments * s.rowsPerFragment, 0);
  const inputs = { environment: 'qa', batch_id: batch, dry_run: 'false' };
  const common = { workflow: workflow('fragment-ingestion'), repo, protect: ['ingestion-production'] };
  const first = await run(
    part,
    'Fragment ingestion · workflows/fragment-ingestion.yml',
    `workflow_dispatch: a live QA load of ${batch} (${fragments.length} fragments, ${rows} rows)`,
    {
      ...common,
      inputs,
    },
  );
  const loaded = (await services.snapshot()).postgres ?? {};
  check(t, 'the live QA load succeeds', first.conclusion === 'success', `run ${first.conclusion}: ${jobResults(first)}`);
  const tableRows = SAMPLE_TABLES.map((s) => loaded[s.name] ?? 0);
  check(
    t,
    'the rows are in PostgreSQL, loaded through the SSH tunnel',
    tableRows.reduce((a, b) => a + b, 0) === rows,
    SAMPLE_TABLES.map((s, i) => `${s.name}: ${tableRows[i]}`).join(', '),
  );

  t.section('Refusals · what must not happen, does not happen');
  const second = await run(
    part,
    'Fragment ingestion again · the same batch into the same environment',
    'a second live QA load must be refused with nothing loaded',
    {
      ...common,
      inputs,
    },
  );
  const after = (await services.snapshot()).postgres ?? {};
  const refusal = second.jobs.load?.steps.flatMap((s) => s.errors ?? []).join(' ') ?? '';
  check(
    t,
    'a second load of the same batch is refused',
    second.conclusion === 'failure' && /already|claim|loaded/i.test(refusal),
    refusal.split('\n')[0] || `run ${second.conclusion}`,
  );
  check(t, 'nothing more is loaded', JSON.stringify(after) === JSON.stringify(loaded), `row counts ${JSON.stringify(after)}`);

  const unapproved = await run(
    part,
    'Fragment ingestion · a live production load without approval',
    'ingestion-production is protected by required reviewers; nobody approved',
    {
      ...common,
      inputs: { ...inputs, environment: 'production' },
    },
  );
  check(
    t,
    'an unapproved live production load loads nothing',
    unapproved.conclusion === 'failure' && JSON.stringify((await services.snapshot()).postgres ?? {}) === JSON.stringify(loaded),
    `run ${unapproved.conclusion}: ${jobResults(unapproved)}`,
  );
}

async function promotionChain(part: Part, refusals: Transcript): Promise<void> {
  const { services, t } = part;
  const repo = makeRepo(ROOT, part.workDir, 'promotion', ['ci-deploy-dev', 'promote-qa', 'promote-prod']);
  const build = await run(
    part,
    'Build · workflows/ci-deploy-dev.yml',
    'push to main: test, build, publish (build- tag), deploy to dev, smoke test, mark dev',
    {
      workflow: workflow('ci-deploy-dev'),
      event: 'push',
      repo,
    },
  );
  const version = build.jobs.publish?.outputs.version ?? '';
  check(
    t,
    'the build is published and deployed to dev',
    build.conclusion === 'success' && version !== '',
    `version ${version || '(none)'}: ${jobResults(build)}`,
  );
  if (!version) return;
  const qa = await run(part, 'Promote to QA · workflows/promote-qa.yml', `workflow_dispatch: artifact_version=${version}`, {
    workflow: workflow('promote-qa'),
    inputs: { artifact_version: version },
    repo,
  });
  check(t, 'the same bytes are deployed to QA and tagged', qa.conclusion === 'success', jobResults(qa));
  const prod = await run(
    part,
    'Promote to production · workflows/promote-prod.yml',
    `workflow_dispatch: artifact_version=${version}, production approved`,
    {
      workflow: workflow('promote-prod'),
      inputs: { artifact_version: version },
      repo,
      protect: ['production'],
      approve: ['production'],
    },
  );
  const snapshot = await services.snapshot();
  check(t, 'production is deployed, tagged and released', prod.conclusion === 'success', jobResults(prod));
  t.block('tags on the local GitHub', snapshot.github.tags.map((tag) => `${tag.name} -> ${tag.sha.slice(0, 7)}`).join('\n'), 4);
  const release = snapshot.github.releases.at(-1) as { tag_name?: string; tagName?: string; name?: string; body?: string } | undefined;
  if (release) t.block(`release ${release.tag_name ?? release.tagName ?? release.name ?? ''}`, String(release.body ?? ''), 4);

  // A version that never went through QA: production must refuse it.
  const skipped = await runWorkflow({ workflow: workflow('ci-deploy-dev'), event: 'push', repo, services });
  const unqualified = skipped.jobs.publish?.outputs.version ?? '';
  const part2: Part = { ...part, t: refusals };
  const refused = await run(
    part2,
    'Promote to production · a version that skipped QA',
    `artifact_version=${unqualified}, approved: it must still be refused`,
    {
      workflow: workflow('promote-prod'),
      inputs: { artifact_version: unqualified },
      repo,
      protect: ['production'],
      approve: ['production'],
    },
  );
  const why = refused.jobs.deploy?.steps.flatMap((s) => s.errors ?? []).join(' ') ?? '';
  check(
    refusals,
    'production refuses a version without a QA tag',
    refused.conclusion === 'failure' && /qa/i.test(why),
    why.split('\n')[0] || `run ${refused.conclusion}`,
  );
}

async function prDashboard(part: Part): Promise<void> {
  const { services, t } = part;
  const repo = makeRepo(ROOT, part.workDir, 'pr-dashboard', ['pr-dashboard']);
  const before = new Set(services.github.issues.comments.keys());
  const opened = await run(
    part,
    'PR dashboard · workflows/pr-dashboard.yml',
    'pull_request opened: CI and a plan, each stage on one dashboard comment',
    {
      workflow: workflow('pr-dashboard'),
      event: 'pull_request',
      repo,
    },
  );
  const dashboard = [...services.github.issues.comments.values()].filter((c) => !before.has(c.id)).at(-1);
  // The comment as a reader sees it: without the hidden state the action keeps in HTML comments.
  const shown = (dashboard?.body ?? '').replace(/<!--[\s\S]*?-->\n?/g, '').trim();
  if (dashboard) t.block(`dashboard comment on pull request #${dashboard.issueNumber ?? ''}`, shown, 4);
  const pending = shown.split('\n').filter((l) => l.startsWith('|') && l.includes('| ⏳ |'));
  check(
    t,
    'the dashboard ends with every stage settled',
    opened.conclusion === 'success' && !!dashboard && pending.length === 0,
    `${jobResults(opened)}${pending.length ? `; still pending: ${pending.join(' ')}` : ''}`,
  );
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const started = Date.now();
  const t = new Transcript({ write: options.write, color: options.color });
  t.line(t.paint('pipeline-actions demo: the reference workflows in workflows/, executed as they are with pnpm run-workflow', 'bold'));
  t.line(
    t.paint('(every action from its bundled dist, as the runner runs it) against local S3, GitHub, Slack, sshd and PostgreSQL.', 'dim'),
  );

  const search = findPythonWithMoto();
  if (!search.python) {
    t.line();
    t.step({ name: 'start the local S3 server', outcome: 'fail', note: `${MOTO_MISSING}\n(tried: ${search.tried.join(', ')})` });
    return finish(t, started);
  }
  const tunnelMissing = [...sshdMissing(), ...postgresMissing()];
  const workDir = mkdtempSync(join(tmpdir(), 'pipeline-demo-'));
  let services: LocalServices | undefined;
  try {
    const serversStarted = Date.now();
    services = await startLocalServices({ ssh: tunnelMissing.length === 0 });
    t.line();
    t.line(`  S3 (moto)     ${services.s3.endpoint}   buckets ${Object.values(services.vars).length ? 'fragments, artifacts' : ''}`);
    t.line(`  GitHub API    ${services.github.url}`);
    t.line(`  Slack         ${services.slack.url}`);
    if (services.tunnel) t.line(`  sshd + PostgreSQL  ${services.tunnel.address}:22 and :5432 (the bastion and the database)`);
    t.line(t.paint(`  (services up in ${formatMs(Date.now() - serversStarted)})`, 'dim'));

    const part = (): Part => ({ t: t.fork(), services: services!, workDir, verbose: options.verbose ?? false });
    const fragments = part();
    const promotion = part();
    const dashboard = part();
    const refusals = t.fork();
    // Independent chains run at the same time; each one's lines wait in its own fork.
    const chains = await Promise.allSettled([
      tunnelMissing.length === 0
        ? fragmentIngestion(fragments)
        : Promise.resolve(
            fragments.t.step({
              name: 'fragment ingestion',
              outcome: 'skip',
              note: `needs ${tunnelMissing.join(', ')} for the SSH tunnel and the database (Debian: apt-get install openssh-server postgresql)`,
            }),
          ),
      promotionChain(promotion, refusals),
      prDashboard(dashboard),
    ]);
    t.append(fragments.t);
    t.append(promotion.t);
    t.append(dashboard.t);
    t.append(refusals);
    for (const chain of chains) {
      if (chain.status === 'rejected') t.step({ name: 'demo driver', outcome: 'fail', note: `crashed: ${describeError(chain.reason)}` });
    }
  } catch (error) {
    t.step({ name: 'demo driver', outcome: 'fail', note: `crashed: ${describeError(error)}` });
  } finally {
    await services?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  return finish(t, started);
}

function finish(t: Transcript, started: number): DemoResult {
  const { pass, fail, skip } = t.counts();
  const durationMs = Date.now() - started;
  // A skip is only fine for the tunnel's part (no sshd or PostgreSQL here).
  const badSkips = t.steps.filter((s) => s.outcome === 'skip' && s.name !== 'fragment ingestion');
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
