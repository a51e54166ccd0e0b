// What the local GitHub holds when a run ends (the `services.github` part of the result).
import type { FakeGitHubApi } from '../../../packages/testing/src/github/index.js';

export interface GitHubSnapshot {
  comments: { id: number; kind: string; issue?: number; commit?: string; body: string; user: string }[];
  tags: { repository: string; name: string; sha: string }[];
  releases: unknown[];
  statuses: unknown[];
  deployments: unknown[];
}

/** Plain records of a route module's state (arrays, and Map values), whatever its shape. */
function records(state: unknown): unknown[] {
  if (!state || typeof state !== 'object') return [];
  const out: unknown[] = [];
  for (const value of Object.values(state as Record<string, unknown>)) {
    if (Array.isArray(value)) out.push(...value);
    else if (value instanceof Map) for (const v of value.values()) out.push(...(Array.isArray(v) ? v : [v]));
  }
  return out;
}

export function snapshotGitHub(github: FakeGitHubApi): GitHubSnapshot {
  const comments = [...github.issues.comments.values()].map((c) => ({
    id: c.id,
    kind: c.kind,
    ...(c.issueNumber !== undefined ? { issue: c.issueNumber } : {}),
    ...(c.commitId ? { commit: c.commitId } : {}),
    body: c.body,
    user: c.user.login,
  }));
  const tags: GitHubSnapshot['tags'] = [];
  const releases: unknown[] = [];
  for (const [repository, repo] of github.git.repos) {
    for (const [ref, sha] of repo.refs)
      if (ref.startsWith('refs/tags/')) tags.push({ repository, name: ref.slice('refs/tags/'.length), sha });
    for (const release of repo.releases) releases.push(release);
  }
  return {
    comments,
    tags,
    releases: JSON.parse(JSON.stringify(releases)) as unknown[],
    statuses: JSON.parse(JSON.stringify(records(github.statuses))) as unknown[],
    deployments: JSON.parse(JSON.stringify(records(github.deployments))) as unknown[],
  };
}
