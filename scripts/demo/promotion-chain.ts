// workflows/ci-deploy-dev.yml -> promote-qa.yml -> promote-prod.yml, run locally with promote-artifact (store: both,
// against the fake GitHub and the loopback S3) and a dashboard-update commit dashboard along the way.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { check, GITHUB_TOKEN, newRunnerDir, s3Inputs, type DemoContext } from './context.js';
import { listFiles, showDashboard, showReleaseRecord } from './promotion-records.js';
import { createBucket } from './seed.js';
import { runnerPaths, type RunContext, type StepResult } from './steps.js';

const SERVICE = 'fragment-loader';
const ARTIFACT_BUCKET = 'demo-artifacts';
const STAGES = ['build: Build and publish', 'dev: Deploy to dev', 'qa: Promote to QA', 'prod: Promote to production'].join('\n');

export interface Published {
  version: string;
  commit: string;
}

function runOf(ctx: DemoContext, spec: Omit<RunContext, 'actor' | 'ref' | 'event'> & { event?: Record<string, unknown> }): RunContext {
  const repository = { full_name: ctx.repo, name: ctx.repo.split('/')[1], owner: { login: ctx.repo.split('/')[0] } };
  return { actor: 'octocat', ref: 'refs/heads/main', ...spec, event: { repository, sender: { login: 'octocat' }, ...(spec.event ?? {}) } };
}

function pushRun(ctx: DemoContext, commit: string, message: string, runId: number, runNumber: number): RunContext {
  return runOf(ctx, {
    workflow: 'CI Deploy Dev',
    workflowFile: 'ci-deploy-dev.yml',
    runId,
    runNumber,
    job: 'build',
    sha: commit,
    eventName: 'push',
    event: { ref: 'refs/heads/main', after: commit, head_commit: { id: commit, message }, pusher: { name: 'octocat' } },
  });
}

function dispatchRun(
  ctx: DemoContext,
  workflow: string,
  file: string,
  runId: number,
  runNumber: number,
  sha: string,
  inputs: object,
): RunContext {
  return runOf(ctx, {
    workflow,
    workflowFile: file,
    runId,
    runNumber,
    job: 'promote',
    sha,
    eventName: 'workflow_dispatch',
    event: { inputs, ref: 'refs/heads/main' },
  });
}

function artifactInputs(ctx: DemoContext): Record<string, string> {
  return { service: SERVICE, store: 'both', bucket: ARTIFACT_BUCKET, token: GITHUB_TOKEN, ...s3Inputs(ctx) };
}

/** Writes the build output (what `make build` leaves in dist/) into the job's workspace. */
function writeBuild(runnerDir: string, commit: string): void {
  const files: Record<string, string> = {
    'dist/app.js': `export const handler = () => ({ ok: true, commit: '${commit.slice(0, 7)}' });\n`,
    'dist/config/defaults.json': `${JSON.stringify({ workers: 4, timeoutSeconds: 30 }, null, 2)}\n`,
    'dist/BUILD_INFO': `commit=${commit}\n`,
  };
  for (const [path, content] of Object.entries(files)) {
    const full = join(runnerDir, 'workspace', path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/** CI Deploy Dev's build job: promote-artifact publish (build-<version> tag). */
async function publish(
  ctx: DemoContext,
  run: RunContext,
  runnerDir: string,
  label = 'promote-artifact (publish, store: both)',
): Promise<StepResult> {
  writeBuild(runnerDir, run.sha);
  return ctx.steps.run({
    label,
    action: 'promote-artifact',
    inputs: { mode: 'publish', path: 'dist/', ...artifactInputs(ctx) },
    run,
    runnerDir,
    env: ctx.github.artifacts.runtimeEnv(run.runId),
    show: ['version', 'tag', 'artifact-name', 'artifact-id', 'sha256', 'size', 's3-uri', 'commit-sha'],
  });
}

async function dashboard(
  ctx: DemoContext,
  run: RunContext,
  runnerDir: string,
  stage: string,
  output: string,
  sha: string,
  commentId: string,
) {
  return ctx.steps.run({
    label: `dashboard-update (update ${stage}: success)`,
    action: 'dashboard-update',
    inputs: {
      token: GITHUB_TOKEN,
      mode: 'update',
      stage,
      status: 'success',
      output,
      sha,
      ...(commentId ? { 'comment-id': commentId } : {}),
    },
    run,
    runnerDir,
    show: ['comment-id', 'created'],
  });
}

/** The whole chain; `onPublished` is called as soon as the first version is published (for work that needs only that). */
export async function runPromotionChain(ctx: DemoContext, onPublished?: (published: Published) => void): Promise<Published | undefined> {
  const { t, steps, github } = ctx;
  await createBucket(ctx.s3.clientConfig, ARTIFACT_BUCKET);
  const message = 'Loader: retry throttled S3 reads';
  const commit = github.git.addCommit(ctx.repo, { sha: '84fb588e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a', message });
  t.section(
    'Build → QA → production · workflows/ci-deploy-dev.yml, promote-qa.yml, promote-prod.yml',
    `service ${SERVICE}, commit ${commit.slice(0, 7)} "${message}", artifact store: GitHub artifacts (fake) and s3://${ARTIFACT_BUCKET}/`,
  );

  // CI Deploy Dev: push to main.
  const ci = pushRun(ctx, commit, message, 6101, 88);
  t.job('build', `(CI Deploy Dev run #${ci.runNumber}, push to main)`);
  const buildDir = newRunnerDir(ctx, 'build');
  const init = await steps.run({
    label: 'dashboard-update (init)',
    action: 'dashboard-update',
    inputs: { token: GITHUB_TOKEN, mode: 'init', stages: STAGES },
    run: ci,
    runnerDir: buildDir,
    show: ['comment-id', 'comment-url', 'created', 'sha'],
  });
  const commentId = init.result?.outputs['comment-id'] ?? '';
  const published = await publish(ctx, ci, buildDir);
  if (!published.ok) {
    steps.skip('deploy to dev, promote to QA and production', 'not run: publish failed');
    return undefined;
  }
  const version = published.result!.outputs.version;
  onPublished?.({ version, commit });
  await dashboard(ctx, ci, buildDir, 'build', `\`${published.result!.outputs.tag}\``, commit, commentId);

  t.job('deploy', '(environment dev)');
  const deployDir = newRunnerDir(ctx, 'deploy');
  t.step({
    name: `Deploy and smoke test (the user's own commands; printed, not run): ./deploy.sh dev artifact/${published.result!.outputs['artifact-name']} ${version}`,
    outcome: 'pass',
    note: '',
  });
  await dashboard(ctx, { ...ci, job: 'deploy' }, deployDir, 'dev', `${version} on dev`, commit, commentId);

  // Promote to QA.
  const qaRun = dispatchRun(ctx, 'Promote to QA', 'promote-qa.yml', 6201, 31, commit, { artifact_version: version });
  t.job('promote', `(Promote to QA run #${qaRun.runNumber}, artifact_version=${version})`);
  const qaDir = newRunnerDir(ctx, 'promote-qa');
  const qaFetch = await fetchStage(ctx, qaRun, qaDir, version, 'qa');
  if (!qaFetch.ok) return skipRest(ctx, 'fetch for QA failed');
  t.step({
    name: `Deploy and smoke test (the user's own commands; printed, not run): ./deploy.sh qa ${runnerPaths(qaFetch.result!.outputs.path, qaDir)} ${version}`,
    outcome: 'pass',
    note: '',
  });
  const qaMark = await mark(ctx, qaRun, qaDir, version, 'qa', {});
  if (!qaMark.ok) return skipRest(ctx, 'mark qa failed');
  await dashboard(ctx, qaRun, qaDir, 'qa', `\`${qaMark.result!.outputs.tag}\``, qaFetch.result!.outputs['commit-sha'] || commit, '');

  // Promote to Production.
  const notes = 'Retries throttled S3 reads while loading fragments.';
  const prodRun = dispatchRun(ctx, 'Promote to Production', 'promote-prod.yml', 6301, 12, commit, {
    artifact_version: version,
    deployment_notes: notes,
    skip_tests: false,
  });
  t.job('promote', `(Promote to Production run #${prodRun.runNumber}, environment production)`);
  const prodDir = newRunnerDir(ctx, 'promote-prod');
  const prodFetch = await fetchStage(ctx, prodRun, prodDir, version, 'prod');
  if (!prodFetch.ok) return skipRest(ctx, 'fetch for production failed');
  t.step({
    name: `Deploy and smoke test (the user's own commands; printed, not run): ./deploy.sh production ${runnerPaths(prodFetch.result!.outputs.path, prodDir)} ${version}`,
    outcome: 'pass',
    note: '',
  });
  const prodMark = await mark(ctx, prodRun, prodDir, version, 'prod', { notes, release: 'true' });
  if (!prodMark.ok) return skipRest(ctx, 'mark prod failed');
  const releaseUrl = prodMark.result!.outputs['release-url'];
  await dashboard(
    ctx,
    prodRun,
    prodDir,
    'prod',
    releaseUrl ? `[Release](${releaseUrl})` : `\`${prodMark.result!.outputs.tag}\``,
    commit,
    '',
  );

  showReleaseRecord(ctx, version);
  await showDashboard(ctx, commentId, commit);
  return { version, commit };
}

async function fetchStage(ctx: DemoContext, run: RunContext, runnerDir: string, version: string, stage: string): Promise<StepResult> {
  const fetched = await ctx.steps.run({
    label: `promote-artifact (fetch, stage ${stage})`,
    action: 'promote-artifact',
    inputs: { mode: 'fetch', version, stage, path: 'artifact', ...artifactInputs(ctx) },
    run,
    runnerDir,
    env: ctx.github.artifacts.runtimeEnv(run.runId),
    show: ['version', 'commit-sha', 'sha256', 'size', 'path', 'previous-version'],
  });
  if (fetched.ok) {
    const dir = join(runnerDir, 'workspace', 'artifact');
    const files = listFiles(dir);
    if (
      check(
        ctx,
        `the artifact is extracted (${files.length} files, digest verified by the action)`,
        files.length > 0,
        `nothing under ${dir}`,
      )
    ) {
      ctx.t.line(`        ${files.join('  ')}`);
    }
  }
  return fetched;
}

async function mark(ctx: DemoContext, run: RunContext, runnerDir: string, version: string, stage: string, extra: Record<string, string>) {
  return ctx.steps.run({
    label: `promote-artifact (mark, stage ${stage})`,
    action: 'promote-artifact',
    inputs: { mode: 'mark', service: SERVICE, version, stage, token: GITHUB_TOKEN, ...extra },
    run,
    runnerDir,
    show: ['tag', 'commit-sha', 'release-url'],
  });
}

function skipRest(ctx: DemoContext, why: string): undefined {
  ctx.steps.skip('rest of the promotion chain', `not run: ${why}`);
  return undefined;
}

/** Publishes a newer build, then asks production for it: fetch must refuse (no qa- tag). */
export async function refuseProdWithoutQa(ctx: DemoContext, first: Published): Promise<void> {
  const { t, steps, github } = ctx;
  const message = 'Loader: parallel table loads';
  const commit = github.git.addCommit(ctx.repo, { sha: '9d2e7c1b4a6f8e0d2c4b6a8f0e2d4c6b8a0f2e4d', message, parents: [first.commit] });
  const ci = pushRun(ctx, commit, message, 6102, 89);
  t.job('build', `(CI Deploy Dev run #${ci.runNumber}: a newer commit ${commit.slice(0, 7)} is built; it never goes to QA)`);
  const published = await publish(ctx, ci, newRunnerDir(ctx, 'build-2'), 'promote-artifact (publish a second version)');
  if (!published.ok) return;
  const version = published.result!.outputs.version;
  const prodRun = dispatchRun(ctx, 'Promote to Production', 'promote-prod.yml', 6302, 13, commit, {
    artifact_version: version,
    skip_tests: false,
  });
  t.job('promote', `(Promote to Production run #${prodRun.runNumber}, artifact_version=${version})`);
  await steps.run({
    label: 'promote-artifact (fetch, stage prod) refuses a version without its QA tag',
    action: 'promote-artifact',
    inputs: { mode: 'fetch', version, stage: 'prod', path: 'artifact', ...artifactInputs(ctx) },
    run: prodRun,
    runnerDir: newRunnerDir(ctx, 'promote-prod-2'),
    env: github.artifacts.runtimeEnv(prodRun.runId),
    expect: {
      refusal: [new RegExp(`qa-${version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)],
      what: 'production fetch of a version with no qa- tag',
    },
  });
}
