// Which tags a release creates: vX.Y.Z on the commit, and the major tag vX moved to it.
import { compareVersions, formatVersion, parseVersion, ToolError, type Release } from '../copy-workflow/releases.js';

export interface ReleasePlan {
  tag: string;
  major: string;
  sha: string;
  /** The tag already exists on this commit: a re-run that only (re)moves the major tag. */
  exists: boolean;
}

/** Plans a release; refuses a malformed version, a tag on another commit, or a version not newer within its major. */
export function planRelease(versionText: string, releases: Release[], sha: string): ReleasePlan {
  const version = parseVersion(versionText);
  if (!version) throw new ToolError(`version must be X.Y.Z (or vX.Y.Z), got "${versionText}"`);
  const tag = formatVersion(version);
  const major = `v${version.major}`;
  const existing = releases.find((release) => release.tag === tag);
  if (existing) {
    if (existing.sha !== sha) throw new ToolError(`${tag} already exists on ${existing.sha}, not on ${sha}: choose a new version`);
    return { tag, major, sha, exists: true };
  }
  const newestInMajor = releases
    .filter((release) => release.version.major === version.major)
    .sort((a, b) => compareVersions(b.version, a.version))[0];
  if (newestInMajor && compareVersions(version, newestInMajor.version) <= 0) {
    throw new ToolError(`${tag} is not newer than ${newestInMajor.tag}, the newest v${version.major} release`);
  }
  return { tag, major, sha, exists: false };
}

/** Whether a tag is a major, minor or patch step from the newest release before it. */
export function bumpOf(tag: string, releases: Release[]): 'major' | 'minor' | 'patch' {
  const version = parseVersion(tag)!;
  const previous = releases.filter((r) => compareVersions(r.version, version) < 0).sort((a, b) => compareVersions(b.version, a.version))[0];
  if (!previous || previous.version.major !== version.major) return 'major';
  return previous.version.minor !== version.minor ? 'minor' : 'patch';
}
