import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  test('a dry run prints the notes from the change intents, the tags it would move and the attestations, and changes nothing', () => {
    mkdirSync(path.join(repo, '.changeset'), { recursive: true });
    mkdirSync(path.join(repo, 'actions', 'demo', 'dist'), { recursive: true });
    writeFileSync(path.join(repo, 'actions', 'demo', 'dist', 'index.js'), 'console.log(1)\n');
    writeFileSync(
      path.join(repo, '.changeset', 'quick-fox.md'),
      '---\n"validate-batch": minor\n---\n\nvalidate-batch claims a batch before the load.\n',
    );
    writeFileSync(
      path.join(repo, '.changeset', 'slow-owl.md'),
      '---\n"notify-slack": patch\n---\n\nnotify-slack warns on an empty webhook.\n',
    );
    const head = commit('three');
    const lines: string[] = [];
    const errors: string[] = [];
    expect(main(['1.2.0', '--repo', repo, '--dry-run'], { out: (l) => lines.push(l), err: (l) => errors.push(l) })).toBe(0);
    const out = lines.join('\n');
    expect(out).toContain('### Features\n\n- validate-batch claims a batch before the load.');
    expect(out).toContain('### Fixes\n\n- notify-slack warns on an empty webhook.');
    expect(out).toContain(`create v1.2.0 (annotated) on ${head}`);
    expect(out).toMatch(new RegExp(`move v1 from [0-9a-f]{40} to ${head}`));
    expect(out).toMatch(/sha256:[0-9a-f]{64} {2}actions\/demo\/dist\/index\.js/);
    expect(errors).toEqual([]);
    expect(listReleases(repo).map((r) => r.tag)).not.toContain('v1.2.0');
  });

  test('--changelog writes the section from the intents and removes them; the release then uses that section', () => {
    const warnings: string[] = [];
    expect(main(['1.1.1', '--repo', repo, '--dry-run'], { out: () => undefined, err: (l) => warnings.push(l) })).toBe(0);
    expect(warnings[0]).toContain('ask for a minor release; v1.1.1 is a patch release');
    expect(main(['1.2.0', '--repo', repo, '--changelog'], quiet)).toBe(0);
    const changelog = readFileSync(path.join(repo, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(/^# Changelog/);
    expect(changelog).toMatch(/## v1\.2\.0 \(\d{4}-\d{2}-\d{2}\)\n\n### Features/);
    expect(existsSync(path.join(repo, '.changeset', 'quick-fox.md'))).toBe(false);
    commit('changelog');
    const notesFile = path.join(tmp, 'notes.md');
    expect(main(['1.2.0', '--repo', repo, '--notes-file', notesFile, '--push'], quiet)).toBe(0);
    expect(readFileSync(notesFile, 'utf8')).toContain('- notify-slack warns on an empty webhook.');
    expect(git(repo, 'tag', '-l', '--format=%(contents)', 'v1.2.0')).toContain('validate-batch claims a batch before the load.');
  });
});
