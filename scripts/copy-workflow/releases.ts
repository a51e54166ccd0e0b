// Release tags vX.Y.Z of this repository: ordered by semantic version, never by name.
import { git, tryGit } from './git.js';

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

export interface Release {
  tag: string;
  version: Version;
  /** The commit the tag points at (annotated tags peeled). */
  sha: string;
}

export class ToolError extends Error {}

const VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
export const FULL_SHA = /^[0-9a-f]{40}$/;

/** `v1.2.3` or `1.2.3` -> {1,2,3}; anything else (pre-releases, `v1`) -> undefined. */
export function parseVersion(text: string): Version | undefined {
  const match = VERSION.exec(text.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) } : undefined;
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function formatVersion(version: Version): string {
  return `v${version.major}.${version.minor}.${version.patch}`;
}

/** Every vX.Y.Z tag of the repository, newest first. */
export function listReleases(repo: string): Release[] {
  const out = git(repo, ['for-each-ref', '--format=%(refname:short) %(objectname) %(*objectname)', 'refs/tags']);
  const releases: Release[] = [];
  for (const line of out.split('\n')) {
    const [tag, object, peeled] = line.split(' ');
    if (!tag || !tag.startsWith('v')) continue;
    const version = parseVersion(tag);
    if (version) releases.push({ tag, version, sha: peeled || object });
  }
  return releases.sort((a, b) => compareVersions(b.version, a.version));
}

/** The newest release; a clear error when the repository has none. */
export function newestRelease(repo: string): Release {
  const [newest] = listReleases(repo);
  if (!newest) {
    throw new ToolError(
      `no release tags (vX.Y.Z) in ${repo}: create one first (pnpm release X.Y.Z, or the Release workflow), or pass --sha`,
    );
  }
  return newest;
}

/** The release named by --ref. */
export function findRelease(repo: string, ref: string): Release {
  const version = parseVersion(ref);
  if (!version) throw new ToolError(`--ref must be a release tag vX.Y.Z, got "${ref}"`);
  const release = listReleases(repo).find((candidate) => compareVersions(candidate.version, version) === 0);
  if (!release) throw new ToolError(`no release tag ${formatVersion(version)} in ${repo}`);
  return release;
}

/** A commit given by --sha: must exist in the repository; its label is the release tag on it, or git describe. */
export function describeCommit(repo: string, sha: string): { sha: string; label: string } {
  const full = tryGit(repo, ['rev-parse', '--verify', '--quiet', `${sha}^{commit}`]);
  if (!full || !FULL_SHA.test(full)) throw new ToolError(`--sha ${sha} is not a commit of ${repo}`);
  const release = listReleases(repo).find((candidate) => candidate.sha === full);
  if (release) return { sha: full, label: release.tag };
  const described = tryGit(repo, ['describe', '--tags', '--match', 'v[0-9]*.[0-9]*.[0-9]*', full]);
  return { sha: full, label: described ?? `unreleased ${full.slice(0, 7)}` };
}
