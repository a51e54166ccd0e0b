import { UserError } from '@pipeline-actions/kit';
import type { Octokit } from '@pipeline-actions/kit/github';
import { parseRecord, type ReleaseRecord } from './record.js';
import { getTag, listStageTags, tagDate, type Repo, type TagInfo } from './tags.js';
import { compareNewestFirst, needsTagDates, stageTag, type StagedVersion } from './version.js';

export interface VerifiedChain {
  commit: string;
  record: ReleaseRecord;
  buildTag: TagInfo;
  previousTag?: TagInfo;
}

/**
 * The promotion order check: the build tag and the previous stage's tag must both exist for this
 * version and point at the same commit, and the build tag must carry a readable record.
 */
export async function verifyChain(octokit: Octokit, repo: Repo, stages: string[], stage: string, version: string): Promise<VerifiedChain> {
  const first = stages[0];
  const index = stages.indexOf(stage);
  const buildTagName = stageTag(first, version);
  const previousStage = index > 0 ? stages[index - 1] : undefined;
  const [buildTag, previousTag] = await Promise.all([
    getTag(octokit, repo, buildTagName),
    previousStage && previousStage !== first ? getTag(octokit, repo, stageTag(previousStage, version)) : Promise.resolve(undefined),
  ]);
  if (!buildTag) {
    throw new UserError(
      `Version ${version} has no ${buildTagName} tag: it was never published (or the version is mistyped). Publish it first with mode: publish, or pick a version from mode: latest.`,
    );
  }
  if (previousStage && previousStage !== first && !previousTag) {
    throw new UserError(
      `Refusing ${stage} for ${version}: the ${previousStage} tag ${stageTag(previousStage, version)} is missing, so this version has not passed ${previousStage}. Promote it to ${previousStage} first (mode: fetch then mode: mark with stage: ${previousStage}), then promote it to ${stage}.`,
    );
  }
  if (previousTag && previousTag.commit !== buildTag.commit) {
    throw new UserError(
      `Refusing ${stage} for ${version}: ${previousTag.tag} points at ${previousTag.commit.slice(0, 7)} but ${buildTagName} at ${buildTag.commit.slice(0, 7)}; the tags of one version must share its commit.`,
    );
  }
  const record = parseRecord(buildTag.message);
  if (!record) {
    throw new UserError(
      `Tag ${buildTagName} carries no release record (it is not an annotated tag made by mode: publish); republish the version.`,
    );
  }
  if (record.version !== version) {
    throw new UserError(
      `Tag ${buildTagName} holds the record of version ${record.version}, not ${version}; the tag was not made by mode: publish.`,
    );
  }
  return { commit: buildTag.commit, record, buildTag, previousTag };
}

/** Versions that carry a `{stage}-` tag, newest first (version timestamp, then tag date). */
export async function stageVersions(
  octokit: Octokit,
  repo: Repo,
  stage: string,
  pattern: RegExp,
): Promise<(StagedVersion & { sha: string; type: string })[]> {
  const tags = (await listStageTags(octokit, repo, stage)).filter((t) => pattern.test(t.version));
  const staged = tags.map((t) => ({ version: t.version, tag: t.tag, sha: t.sha, type: t.type, tagDate: undefined as string | undefined }));
  if (needsTagDates(staged)) {
    await Promise.all(staged.slice(0, 500).map(async (s) => (s.tagDate = await tagDate(octokit, repo, s))));
  }
  return staged.sort(compareNewestFirst);
}

/** The newest other version at a stage: what the stage held before this version, and what a rollback returns to. */
export async function previousVersion(octokit: Octokit, repo: Repo, stage: string, pattern: RegExp, version: string): Promise<string> {
  const versions = await stageVersions(octokit, repo, stage, pattern);
  return versions.find((v) => v.version !== version)?.version ?? '';
}
