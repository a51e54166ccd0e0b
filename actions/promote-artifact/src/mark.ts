import { runUrl } from '@pipeline-actions/kit';
import { previousVersion, verifyChain } from './chain.js';
import { outcomeFromRecord, type Deps, type Outcome } from './deps.js';
import { createAnnotatedTag, ensureRelease } from './tags.js';
import { stageTag } from './version.js';

export async function mark(deps: Deps): Promise<Outcome> {
  const { inputs, ctx, octokit, repo } = deps;
  const { version, stage } = inputs;
  const chain = await verifyChain(octokit, repo, inputs.stages, stage, version);
  const tag = stageTag(stage, version);
  const outcome = outcomeFromRecord('mark', stage, chain.record, version, tag, chain.commit);
  // Read before tagging, so the answer is what the stage held before this version.
  const previous = await previousVersion(octokit, repo, stage, inputs.versionPattern, version);

  const message = [
    `${tag}: ${inputs.service} ${version} promoted to ${stage}`,
    '',
    `Promoted-by: ${ctx.actor || 'unknown'}`,
    `Run: ${runUrl(ctx)}`,
    `Workflow: ${ctx.workflow}`,
    `Artifact: ${chain.record.artifact_name}`,
    `Sha256: ${chain.record.sha256}`,
    `Promoted-at: ${deps.now().toISOString()}`,
    ...(inputs.notes ? ['', inputs.notes] : []),
    '',
  ].join('\n');
  const result = await createAnnotatedTag(octokit, repo, tag, message, chain.commit);
  outcome.actions.push(
    result.created ? `created tag ${tag} on ${chain.commit.slice(0, 7)}` : `tag ${tag} already on ${chain.commit.slice(0, 7)} (re-run)`,
  );

  const last = inputs.stages[inputs.stages.length - 1];
  if (stage === last && inputs.release) {
    const body = [
      inputs.notes,
      '',
      `| | |`,
      `| --- | --- |`,
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
  outcome.previousVersion = previous;
  return outcome;
}
