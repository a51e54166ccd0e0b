import { runUrl, UserError } from '@pipeline-actions/kit';
import { checkStageTag, verifyChain, type VerifiedChain } from './chain.js';
import { outcomeFromRecord, type Deps, type Outcome } from './deps.js';
import { recordDeployment } from './deployments.js';
import { environmentOf, newestOther, stageHistory, type HistoryEntry } from './history.js';
import { tagName } from './naming.js';
import { formatRecord, RECORD_SCHEMA, type ReleaseRecord } from './record.js';
import { createAnnotatedTag, ensureRelease } from './tags.js';

export async function mark(deps: Deps): Promise<Outcome> {
  const { inputs, naming } = deps;
  const chain = await verifyChain(deps, naming, inputs.stage, inputs.version);
  const history = await stageHistory(deps, naming, inputs.stage);
  return promote(deps, chain, history, { stage: inputs.stage, version: inputs.version, rollback: false });
}

/**
 * Records a promotion of a verified version: the stage's annotated tag (its message is the record),
 * a deployment with a `success` status, and the release at the last stage. `history` is what the stage
 * held before; a re-run whose version is already the newest deployment records nothing twice.
 */
export async function promote(
  deps: Deps,
  chain: VerifiedChain,
  history: HistoryEntry[],
  how: { stage: string; version: string; rollback: boolean; outcome?: Outcome },
): Promise<Outcome> {
  const { inputs, ctx, octokit, repo, naming } = deps;
  const { stage, version } = how;
  const tag = tagName(naming, stage, version);
  const environment = environmentOf(deps, stage);
  const outcome = how.outcome ?? outcomeFromRecord(how.rollback ? 'rollback' : 'mark', stage, chain.record, version, tag, chain.commit);
  outcome.currentVersion = history[0]?.version ?? '';
  outcome.previousVersion = newestOther(history, version);

  const record: ReleaseRecord = {
    ...chain.record,
    schema: RECORD_SCHEMA,
    promotion: {
      stage,
      environment,
      promoted_by: ctx.actor || 'unknown',
      run_id: ctx.runId,
      run_url: runUrl(ctx),
      workflow: ctx.workflow,
      promoted_at: deps.now().toISOString(),
      rollback: how.rollback,
      notes: inputs.notes,
    },
  };
  const result = await createAnnotatedTag(octokit, repo, tag, formatRecord(record), chain.commit);
  if (!result.created) {
    checkStageTag(
      `${how.rollback ? 'rollback' : 'mark'} of ${inputs.service} ${version} to ${stage}`,
      result.info,
      stage,
      chain.record,
      chain.buildTag,
    );
  }
  outcome.actions.push(
    result.created ? `created tag ${tag} on ${chain.commit.slice(0, 7)}` : `tag ${tag} already on ${chain.commit.slice(0, 7)}`,
  );

  const current = history[0];
  if (current?.deployment && current.version === version) {
    // Already what the stage holds: a re-run, or a promotion of the current version. Nothing new happened.
    outcome.deploymentId = String(current.deployment.id);
    outcome.deploymentUrl = current.deployment.url;
    outcome.previousVersion = newestOther(history.slice(1), version);
    outcome.currentVersion = newestOther(history.slice(1), version);
    outcome.actions.push(`deployment ${current.deployment.id} already records ${version} in ${environment} (re-run): no new deployment`);
  } else {
    const deployment = await recordDeployment(
      octokit,
      repo,
      ctx,
      environment,
      {
        service: inputs.service,
        version,
        sha256: chain.record.sha256,
        artifact_name: chain.record.artifact_name,
        tag,
        rollback: how.rollback,
        run_id: ctx.runId,
        record: chain.record,
      },
      `${inputs.service} ${version}${how.rollback ? ` (rollback from ${outcome.currentVersion || 'nothing'})` : ''}`,
    );
    outcome.deploymentId = String(deployment.id);
    outcome.deploymentUrl = deployment.url;
    outcome.actions.push(
      `recorded deployment ${deployment.id} of ${version} to environment ${environment}${outcome.currentVersion ? ` (it held ${outcome.currentVersion})` : ''}`,
    );
  }

  const last = inputs.stages[inputs.stages.length - 1];
  if (stage === last && inputs.release) {
    const body = [
      inputs.notes,
      '',
      `| | |`,
      `| --- | --- |`,
      `| Service | ${inputs.service} |`,
      `| Version | ${version} |`,
      `| Commit | ${chain.commit} |`,
      `| Artifact | ${chain.record.artifact_name} |`,
      `| SHA-256 | ${chain.record.sha256} |`,
      `| Promoted by | ${ctx.actor} in ${runUrl(ctx)} |`,
    ]
      .join('\n')
      .trim();
    const release = await ensureRelease(octokit, repo, tag, `${inputs.service} ${version}`, body);
    outcome.releaseUrl = release.url;
    outcome.actions.push(release.created ? `created release ${release.url}` : `release ${release.url} already exists`);
  }
  return outcome;
}

/** The version a rollback installs: `version` when given, else the one the stage held before its current one. */
export function rollbackTarget(deps: Deps, history: HistoryEntry[]): { target: string; history: HistoryEntry[] } {
  const { inputs, ctx } = deps;
  const [current] = history;
  if (!current) {
    throw new UserError(
      `Nothing to roll back for ${inputs.service} at ${inputs.stage}: no deployment or ${inputs.stage} tag records a version yet. Promote a version first (mode: fetch then mode: mark).`,
    );
  }
  // A re-run of the rollback that already recorded its deployment: the target is what it installed, not one further back.
  if (current.deployment?.rollback && current.deployment.runId === ctx.runId) {
    return { target: current.version, history };
  }
  const target = inputs.version || newestOther(history, current.version);
  if (!target) {
    throw new UserError(
      `Nothing to roll back to for ${inputs.service} at ${inputs.stage}: it has only ever held ${current.version}. Give 'version' to install another version that passed the earlier stages.`,
    );
  }
  return { target, history };
}
