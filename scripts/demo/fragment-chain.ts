// workflows/fragment-ingestion.yml, run locally: determine-environment -> validate-batch -> (ssh-tunnel) -> load ->
// validate-batch mark-loaded -> notify-slack; then a second run of the same batch, which must be refused.
import { readFileSync } from 'node:fs';
import { check, newRunnerDir, s3Inputs, type DemoContext } from './context.js';
import { renderSlackMessage } from './render-slack.js';
import { getObject, type SampleBatch } from './seed.js';
import { openDemoTunnel, type DemoTunnel } from './ssh.js';
import { fromJson, runnerPaths, type RunContext } from './steps.js';
import { formatBytes } from './transcript.js';

const MAIN_SHA = '84fb588e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a';
const SLACK_CHANNEL = '#data-loads';

export interface FirstLoad {
  runId: number;
  actor: string;
  loadedAt: string;
}

function ingestionRun(batch: SampleBatch, runId: number, runNumber: number, actor: string): RunContext {
  const inputs = { environment: 'qa', batch_id: batch.batchId, dry_run: false, table_filter: '' };
  return {
    workflow: 'Fragment Ingestion',
    workflowFile: 'fragment-ingestion.yml',
    runId,
    runNumber,
    job: 'validate',
    actor,
    sha: MAIN_SHA,
    ref: 'refs/heads/main',
    eventName: 'workflow_dispatch',
    event: {
      inputs,
      ref: 'refs/heads/main',
      repository: { full_name: 'octo-org/pipeline-demo', name: 'pipeline-demo', owner: { login: 'octo-org' } },
      sender: { login: actor, type: 'User' },
      workflow: '.github/workflows/fragment-ingestion.yml',
    },
  };
}

/** The first, successful run. Returns who loaded the batch and when, or undefined when it did not get that far. */
export async function runFragmentIngestion(ctx: DemoContext, batch: SampleBatch): Promise<FirstLoad | undefined> {
  const { t, steps } = ctx;
  const run = ingestionRun(batch, 5101, 42, 'octocat');
  const inputs = run.event.inputs as Record<string, unknown>;
  t.section(
    'Fragment ingestion · workflows/fragment-ingestion.yml',
    `workflow_dispatch by ${run.actor}, run #${run.runNumber}: environment=qa batch_id=${batch.batchId} dry_run=false table_filter=(all tables)`,
  );

  // job validate
  t.job('validate', '(determine-environment resolves the dispatch input; validate-batch checks the batch in S3)');
  const validateDir = newRunnerDir(ctx, 'validate');
  const env = await steps.run({
    label: 'determine-environment',
    action: 'determine-environment',
    inputs: { environment: String(inputs.environment), allowed: 'qa, production' },
    run,
    runnerDir: validateDir,
    show: ['environment', 'trigger', 'reason'],
  });
  const environment = env.result?.outputs.environment || String(inputs.environment);
  const validate = await steps.run({
    label: 'validate-batch (validate)',
    action: 'validate-batch',
    inputs: {
      'batch-id': batch.batchId,
      bucket: batch.bucket,
      'table-filter': String(inputs.table_filter),
      environment,
      ...s3Inputs(ctx),
    },
    run,
    runnerDir: validateDir,
    show: ['valid', 'fragment-count', 'tables', 'table-counts', 'total-bytes', 's3-uri', 'loaded'],
  });
  const out = validate.result?.outputs ?? {};
  if (validate.ok) {
    const expectedTables = JSON.stringify(batch.tables.map((x) => x.name).sort());
    check(
      ctx,
      `counted ${batch.fragmentCount} fragments in ${batch.tables.length} tables (placeholder, manifest and sibling batch left out)`,
      out['fragment-count'] === String(batch.fragmentCount) && out.tables === expectedTables,
      `expected fragment-count ${batch.fragmentCount} and tables ${expectedTables}, got ${out['fragment-count']} and ${out.tables}`,
    );
    const summaryFile = out['summary-file'];
    if (summaryFile) t.block(`batch summary (${runnerPaths(summaryFile, validateDir)})`, readFileSync(summaryFile, 'utf8'));
  }
  // The job's outputs, as `needs.validate.outputs.*`.
  const needsValidate = {
    result: validate.ok ? 'success' : 'failure',
    'fragment-count': out['fragment-count'] ?? '',
    's3-uri': out['s3-uri'] ?? '',
  };

  // job load
  t.job('load', needsValidate.result === 'success' ? '(qa, live load: the approval job is skipped for qa)' : '(not run: validate failed)');
  let loadResult = 'skipped';
  let firstLoad: FirstLoad | undefined;
  if (needsValidate.result === 'success') {
    const loadDir = newRunnerDir(ctx, 'load');
    const loadRun = { ...run, job: 'load' };
    let tunnel: DemoTunnel | undefined;
    try {
      tunnel = await openDemoTunnel(ctx, loadRun, loadDir);
      const tableCounts = fromJson<Record<string, number>>(out['table-counts'], {});
      const port = tunnel?.localPort ?? '5432';
      t.step({ name: 'Load tables (fragment-loader/load_fragments.py; the demo prints what it would do)', outcome: 'pass', note: '' });
      t.line(
        `        PGHOST=127.0.0.1 PGPORT=${port}${tunnel ? ` (through the tunnel: ${tunnel.greeting})` : ' (no tunnel in this demo run)'}`,
      );
      for (const [table, count] of Object.entries(tableCounts)) {
        t.line(`        COPY ${table.padEnd(12)} FROM ${needsValidate['s3-uri']}${table}/  -- ${count} fragments`);
      }
      const mark = await steps.run({
        label: 'validate-batch (mark-loaded)',
        action: 'validate-batch',
        inputs: { mode: 'mark-loaded', 'batch-id': batch.batchId, bucket: batch.bucket, environment, ...s3Inputs(ctx) },
        run: loadRun,
        runnerDir: loadDir,
        show: ['loaded', 'loaded-by', 'loaded-at', 's3-uri'],
      });
      loadResult = mark.ok ? 'success' : 'failure';
      const marker = await getObject(ctx.s3.clientConfig, batch.bucket, `${batch.prefix}${batch.batchId}/.loaded`);
      if (mark.ok) {
        if (
          check(
            ctx,
            'the .loaded marker is in S3',
            marker !== undefined,
            `no ${batch.prefix}${batch.batchId}/.loaded object after mark-loaded`,
          )
        ) {
          t.block(`s3://${batch.bucket}/${batch.prefix}${batch.batchId}/.loaded`, prettyJson(marker ?? ''));
        }
        firstLoad = { runId: run.runId, actor: run.actor, loadedAt: mark.result?.outputs['loaded-at'] ?? '' };
      }
    } finally {
      if (tunnel) loadResult = (await tunnel.close()) ? loadResult : 'failure';
    }
  } else {
    steps.skip('ssh-tunnel, load, mark-loaded', 'not run: the validate job failed');
  }

  // job notify (if: always())
  t.job('notify', '(if: always(); token mode against the Slack capture server)');
  const status = [needsValidate.result, loadResult].includes('failure') ? 'failure' : loadResult;
  const notify = await steps.run({
    label: `notify-slack (status: ${status})`,
    action: 'notify-slack',
    inputs: {
      token: ctx.slack.token,
      channel: SLACK_CHANNEL,
      status,
      fields: [
        `Environment: ${String(inputs.environment)}`,
        `Batch ID: ${batch.batchId}`,
        `Fragments: ${needsValidate['fragment-count'] || '-'}`,
        `Table filter: ${String(inputs.table_filter) || 'all tables'}`,
        `Dry run: ${String(inputs.dry_run)}`,
      ].join('\n'),
      'slack-api-url': ctx.slack.apiUrl,
    },
    run: { ...run, job: 'notify' },
    runnerDir: newRunnerDir(ctx, 'notify'),
    secrets: [ctx.slack.token],
    show: ['ok', 'ts', 'channel', 'status-code'],
  });
  if (notify.ok) {
    const ts = notify.result?.outputs.ts;
    const message = ctx.slack.messages.find((m) => m.ts === ts) ?? ctx.slack.messages.at(-1);
    if (check(ctx, 'Slack received the message', message !== undefined, 'the capture server holds no message')) {
      t.block(`Slack message in ${SLACK_CHANNEL} (${message!.channel}), as text`, renderSlackMessage(message!));
    }
  }
  return firstLoad;
}

/** A second dispatch of the same batch (another run, another actor): validation and mark-loaded both refuse it. */
export async function refuseSecondLoad(ctx: DemoContext, batch: SampleBatch, first: FirstLoad): Promise<void> {
  const { t, steps } = ctx;
  const run = ingestionRun(batch, 5102, 43, 'hubot');
  t.job(`Fragment Ingestion run #${run.runNumber}`, `(${run.actor} dispatches ${batch.batchId} again)`);
  const who = new RegExp(`${escape(first.actor)}|${first.runId}`);
  const when = /\d{4}-\d{2}-\d{2}/;
  await steps.run({
    label: 'validate-batch (validate) refuses an already loaded batch',
    action: 'validate-batch',
    inputs: { 'batch-id': batch.batchId, bucket: batch.bucket, environment: 'qa', ...s3Inputs(ctx) },
    run,
    runnerDir: newRunnerDir(ctx, 'validate-again'),
    expect: { refusal: [who, when], what: 'validation of an already loaded batch' },
  });
  await steps.run({
    label: 'validate-batch (mark-loaded) refuses a second load, saying who loaded it and when',
    action: 'validate-batch',
    inputs: { mode: 'mark-loaded', 'batch-id': batch.batchId, bucket: batch.bucket, environment: 'qa', ...s3Inputs(ctx) },
    run: { ...run, job: 'load' },
    runnerDir: newRunnerDir(ctx, 'load-again'),
    expect: { refusal: [who, when], what: 'a second mark-loaded of the same batch' },
  });
}

export function describeBatch(batch: SampleBatch): string {
  const tables = batch.tables.map((x) => `${x.name} (${x.fragments})`).join(', ');
  return `s3://${batch.bucket}/${batch.prefix}${batch.batchId}/: ${batch.fragmentCount} fragments, ${formatBytes(batch.totalBytes)} in ${tables}; plus a directory placeholder, manifest.json and a sibling batch ${batch.batchId}0/`;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
