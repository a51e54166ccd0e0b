import { UserError } from '@pipeline-actions/kit';
import type { Deps } from './deps.js';
import { artifactName, tagName, type Naming } from './naming.js';
import { parseLegacyPromotion, parseRecord, type ReleaseRecord } from './record.js';
import { getTag, type TagInfo } from './tags.js';

export interface VerifiedChain {
  commit: string;
  /** The build tag's record, checked against its tag. */
  record: ReleaseRecord;
  buildTag: TagInfo;
  previousTag?: TagInfo;
}

/**
 * The promotion gate: the build tag and the previous stage's tag must both exist for this version and
 * service, be annotated tags written by this action (record present, agreeing with its tag), and point at
 * the same commit. A lightweight or hand-written tag is refused with what to do.
 */
export async function verifyChain(deps: Deps, naming: Naming, stage: string, version: string): Promise<VerifiedChain> {
  const { inputs, octokit, repo } = deps;
  const { stages, service } = inputs;
  const first = stages[0];
  const index = stages.indexOf(stage);
  const buildTagName = tagName(naming, first, version);
  const previousStage = index > 1 ? stages[index - 1] : undefined;
  const previousName = previousStage ? tagName(naming, previousStage, version) : undefined;
  const [buildTag, previousTag] = await Promise.all([
    getTag(octokit, repo, buildTagName),
    previousName ? getTag(octokit, repo, previousName) : Promise.resolve(undefined),
  ]);
  const what = `${stage} for ${service} ${version}`;
  if (!buildTag) {
    throw new UserError(
      `Refusing ${what}: there is no ${buildTagName} tag, so this version of ${service} was never published (or the version or service is mistyped${naming.format === 'plain' ? '' : `, or its tags are {stage}-{version}: set tag-format: plain`}). Publish it first with mode: publish, or pick a version from mode: latest.`,
    );
  }
  if (!buildTag.annotated) throw lightweight(what, buildTagName, first, 'mode: publish');
  const record = parseRecord(buildTag.message);
  if (!record) {
    throw new UserError(
      `Refusing ${what}: tag ${buildTagName} carries no release record (it was not made by mode: publish). Delete it and publish the version again.`,
    );
  }
  checkRecord(what, buildTagName, record, { service, version, commit: buildTag.commit, repository: deps.ctx.repository });

  if (previousStage && previousName) {
    if (!previousTag) {
      throw new UserError(
        `Refusing ${what}: the ${previousStage} tag ${previousName} is missing, so this version has not passed ${previousStage}. Promote it to ${previousStage} first (mode: fetch then mode: mark with stage: ${previousStage}), then promote it to ${stage}.`,
      );
    }
    if (previousTag.commit !== buildTag.commit) {
      throw new UserError(
        `Refusing ${what}: ${previousTag.tag} points at ${previousTag.commit.slice(0, 7)} but ${buildTagName} at ${buildTag.commit.slice(0, 7)}; the tags of one version must share its commit. Delete ${previousTag.tag} and promote the version to ${previousStage} again.`,
      );
    }
    checkStageTag(what, previousTag, previousStage, record, buildTag);
  }
  return { commit: buildTag.commit, record, buildTag, previousTag };
}

/** The record must describe the tag it came from: same repository, service, version, commit and artifact. */
export function checkRecord(
  what: string,
  tag: string,
  record: ReleaseRecord,
  expected: { service: string; version: string; commit: string; repository: string },
): void {
  const problems: string[] = [];
  if (record.service !== expected.service) problems.push(`service '${record.service}' (expected '${expected.service}')`);
  if (record.version !== expected.version) problems.push(`version '${record.version}' (expected '${expected.version}')`);
  if (record.commit !== expected.commit)
    problems.push(`commit ${String(record.commit).slice(0, 7)} (the tag points at ${expected.commit.slice(0, 7)})`);
  if (record.repository && expected.repository && record.repository !== expected.repository)
    problems.push(`repository '${record.repository}' (expected '${expected.repository}')`);
  const name = artifactName(expected.service, expected.version, record.compression ?? 'gzip');
  if (record.artifact_name !== name) problems.push(`artifact '${record.artifact_name}' (expected '${name}')`);
  if (problems.length > 0) {
    throw new UserError(
      `Refusing ${what}: the record in tag ${tag} disagrees with its tag: ${problems.join(', ')}. It was not written by promote-artifact for this version; nothing was downloaded. Delete the tag and publish the version again.`,
    );
  }
}

function lightweight(what: string, tag: string, stage: string, how: string): UserError {
  return new UserError(
    `Refusing ${what}: ${tag} is a lightweight tag (no record; made by git tag and a push, not by promote-artifact). Delete it (git push origin :refs/tags/${tag}), let the workflow write it (${how} for stage ${stage}), and protect the ${stage}-* tags with a tag ruleset so only the workflow can create them.`,
  );
}

/** A stage tag must carry this action's record of the same build (or the text record written before v2). */
export function checkStageTag(what: string, tag: TagInfo, stage: string, build: ReleaseRecord, buildTag: TagInfo): void {
  if (!tag.annotated) throw lightweight(what, tag.tag, stage, 'mode: mark');
  const foreign = (why: string) =>
    new UserError(
      `Refusing ${what}: ${tag.tag} was not written by promote-artifact for this build (${why}). Delete it (git push origin :refs/tags/${tag.tag}), promote the version to ${stage} through the workflow (mode: mark), and protect the ${stage}-* tags with a tag ruleset.`,
    );
  const record = parseRecord(tag.message);
  if (record) {
    const p = record.promotion;
    if (!p) throw foreign('its record has no promotion');
    if (p.stage !== stage) throw foreign(`its record promotes to ${p.stage}`);
    if (record.service !== build.service) throw foreign(`its record is of service ${record.service}`);
    if (record.version !== build.version) throw foreign(`its record is of version ${record.version}`);
    if (record.commit !== build.commit) throw foreign(`its record names commit ${String(record.commit).slice(0, 7)}`);
    if (record.sha256 !== build.sha256) throw foreign(`its record names sha256 ${record.sha256}, the build ${build.sha256}`);
  } else {
    const legacy = parseLegacyPromotion(tag.message);
    if (!legacy) throw foreign('its message holds no record');
    if (legacy.service !== build.service || legacy.version !== build.version || legacy.sha256 !== build.sha256 || legacy.stage !== stage)
      throw foreign('its message describes another build');
  }
  // The workflow's token writes both tags; a tag written by a person's own git client carries that person as tagger.
  if (tag.tagger && buildTag.tagger && tag.tagger !== buildTag.tagger && !/\[bot\]$/.test(tag.tagger))
    throw foreign(`its tagger is ${tag.tagger}, not the workflow identity ${buildTag.tagger} that published the build`);
}
