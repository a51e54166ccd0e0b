import type { Deps } from './deps.js';
import { successfulDeployments, type Deployment } from './deployments.js';
import { tagPrefix, type Naming } from './naming.js';
import { listTagsWithPrefix, tagDate } from './tags.js';
import { compareNewestFirst, needsTagDates, type StagedVersion } from './version.js';

/** One version a stage held, newest first; from a deployment, or from a tag for history written before deployments. */
export interface HistoryEntry {
  version: string;
  deployment?: Deployment;
}

export function environmentOf(deps: Pick<Deps, 'inputs'>, stage: string): string {
  return deps.inputs.environment || stage;
}

/**
 * The distinct versions a stage held, newest first (at most `limit`): its environment's deployments of this
 * service in time order (so a rollback is the newest), then its tags ordered by the time inside the version.
 * The first stage has no deployments (publish is not a promotion): its tags are its history.
 */
export async function stageHistory(deps: Deps, naming: Naming, stage: string, limit = 3): Promise<HistoryEntry[]> {
  const { inputs, octokit, repo } = deps;
  const seen = new Map<string, HistoryEntry>();
  if (stage !== inputs.stages[0]) {
    for await (const d of successfulDeployments(octokit, repo, environmentOf(deps, stage), inputs.service)) {
      if (!inputs.versionPattern.test(d.version)) continue;
      if (!seen.has(d.version)) seen.set(d.version, { version: d.version, deployment: d });
      if (seen.size >= limit) return [...seen.values()];
    }
  }
  for (const t of await taggedVersions(deps, naming, stage)) {
    if (!seen.has(t.version)) seen.set(t.version, { version: t.version });
    if (seen.size >= limit) break;
  }
  return [...seen.values()];
}

/** The newest version in the history other than `version`: what the stage held before it, where a rollback from it goes. */
export function newestOther(history: HistoryEntry[], version: string): string {
  return history.find((h) => h.version !== version)?.version ?? '';
}

/** Versions carrying the stage's tag, newest first (version timestamp, then tag date). */
export async function taggedVersions(deps: Deps, naming: Naming, stage: string): Promise<StagedVersion[]> {
  const { octokit, repo, inputs } = deps;
  const tags = (await listTagsWithPrefix(octokit, repo, tagPrefix(naming, stage))).filter((t) => inputs.versionPattern.test(t.version));
  const staged = tags.map((t) => ({ version: t.version, tag: t.tag, sha: t.sha, type: t.type, tagDate: undefined as string | undefined }));
  if (needsTagDates(staged)) {
    await Promise.all(staged.slice(0, 500).map(async (s) => (s.tagDate = await tagDate(octokit, repo, s))));
  }
  return staged.sort(compareNewestFirst);
}
