import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listReleases, parseVersion, type Release } from '../../copy-workflow/releases.js';
import { main } from '../cli.js';
import { planRelease } from '../plan.js';

const identity = { GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' };
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...identity } }).trim();
const release = (tag: string, sha: string): Release => ({ tag, sha, version: parseVersion(tag)! });

describe('planRelease', () => {
  const releases = [release('v1.2.0', 'a'.repeat(40)), release('v2.0.0', 'b'.repeat(40))];
  test('a newer version in its major creates the tag and moves the major', () => {
    expect(planRelease('1.3.0', releases, 'c'.repeat(40))).toEqual({ tag: 'v1.3.0', major: 'v1', sha: 'c'.repeat(40), exists: false });
  });
  test('refuses a version that is not newer within its major', () => {
    expect(() => planRelease('v1.1.9', releases, 'c'.repeat(40))).toThrow('v1.1.9 is not newer than v1.2.0, the newest v1 release');
  });
  test('refuses a malformed version and an existing tag on another commit; the same commit is a re-run', () => {
    expect(() => planRelease('1.3', releases, 'c'.repeat(40))).toThrow('version must be X.Y.Z');
    expect(() => planRelease('2.0.0', releases, 'c'.repeat(40))).toThrow('v2.0.0 already exists on');
    expect(planRelease('2.0.0', releases, 'b'.repeat(40)).exists).toBe(true);
  });
});

describe('release script', () => {
  let tmp: string;
  let repo: string;
  let remote: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'release-'));
    remote = path.join(tmp, 'remote.git');
    repo = path.join(tmp, 'repo');
    mkdirSync(repo);
    git(tmp, 'init', '-q', '--bare', remote);
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'remote', 'add', 'origin', remote);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const commit = (text: string) => {
    writeFileSync(path.join(repo, 'file'), text);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', text);
    return git(repo, 'rev-parse', 'HEAD');
  };
  const quiet = { out: () => undefined, err: () => undefined };

  test('creates vX.Y.Z, moves vX, pushes both, and refuses to go back', () => {
    const first = commit('one');
    expect(main(['1.0.0', '--repo', repo, '--push'], quiet)).toBe(0);
    const second = commit('two');
    expect(main(['1.1.0', '--repo', repo, '--push'], quiet)).toBe(0);
    expect(git(remote, 'rev-parse', 'v1^{commit}')).toBe(second);
    expect(git(remote, 'rev-parse', 'v1.0.0^{commit}')).toBe(first);
    expect(listReleases(repo).map((r) => r.tag)).toEqual(['v1.1.0', 'v1.0.0']);

    const errors: string[] = [];
    expect(main(['1.0.5', '--repo', repo], { out: () => undefined, err: (line) => errors.push(line) })).toBe(1);
    expect(errors[0]).toBe('error: v1.0.5 is not newer than v1.1.0, the newest v1 release');
    // a re-run on the same commit is fine
    expect(main(['1.1.0', '--repo', repo, '--sha', second, '--push'], quiet)).toBe(0);
  });
});
