import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadContracts } from '../../workflow-checks/action-contracts.js';
import { checkWorkflowText, formatFinding } from '../../workflow-checks/check.js';
import { main } from '../cli.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const identity = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...identity } }).trim();

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let tmp: string;
let source: string;
const sha: Record<string, string> = {};

/** A pipeline-actions source repository with releases v1.0.0, v1.2.0 and v1.10.0 (newest by semver, not by name). */
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'copy-workflow-'));
  source = path.join(tmp, 'pipeline-actions');
  mkdirSync(source);
  git(source, 'init', '-q', '-b', 'main');
  cpSync(path.join(repoRoot, 'workflows'), path.join(source, 'workflows'), { recursive: true });
  git(source, 'add', '.');
  git(source, 'commit', '-q', '-m', 'first');
  git(source, 'tag', 'v1.0.0');
  sha['v1.0.0'] = git(source, 'rev-parse', 'HEAD');
  for (const version of ['v1.10.0', 'v1.2.0']) {
    writeFileSync(path.join(source, 'CHANGES'), version);
    git(source, 'add', '.');
    git(source, 'commit', '-q', '-m', version);
    git(source, 'tag', '-a', version, '-m', version);
    sha[version] = git(source, 'rev-parse', 'HEAD');
  }
  git(source, 'tag', 'v1', sha['v1.10.0']); // the moving major tag is not a release
  git(source, 'tag', 'v2.0.0-rc.1'); // nor is a pre-release
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const target = (name: string) => {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  return dir;
};

describe('copy-workflow', () => {
  test('pins every reference to our actions to the newest release by semver, and lists the secrets', () => {
    const repo = target('pin-newest');
    const result = run('redcap-pipeline', '--to', repo, '--owner', 'acme', '--source', source);
    expect(result).toMatchObject({ code: 0, err: '' });
    const original = readFileSync(path.join(repoRoot, 'workflows', 'redcap-pipeline.yml'), 'utf8');
    const copied = readFileSync(path.join(repo, '.github', 'workflows', 'redcap-pipeline.yml'), 'utf8');
    expect(copied).not.toContain('your-org/');
    const pinned = copied.match(/acme\/pipeline-actions\/actions\/[a-z-]+@[0-9a-f]{40} # v1\.10\.0$/gm) ?? [];
    expect(pinned.length).toBe(original.match(/your-org\/pipeline-actions\/actions\//g)?.length);
    expect(pinned.every((line) => line.includes(`@${sha['v1.10.0']} `))).toBe(true);
    expect(pinned).toContain(`acme/pipeline-actions/actions/ssh-tunnel@${sha['v1.10.0']} # v1.10.0`);
    // nothing else changes
    const strip = (text: string) => text.split('\n').filter((line) => !line.includes('/pipeline-actions/actions/'));
    expect(strip(copied).join('\n').trimEnd()).toBe(strip(original).join('\n').trimEnd());
    expect(result.out).toContain(`Pinned ${pinned.length} reference(s) to acme/pipeline-actions@${sha['v1.10.0']} # v1.10.0`);
    const secrets = result.out.split('Secrets this workflow needs')[1].split('\nVariables')[0];
    expect(secrets.match(/^ {2}\S+$/gm)).toEqual(
      [
        'BASTION_SSH_KEY',
        'DB_PASSWORD',
        'GSID_API_KEY',
        'REDCAP_API_TOKEN_GAP',
        'REDCAP_API_TOKEN_NIDDK_IBDGC',
        'REDCAP_API_TOKEN_PROTECT',
        'REDCAP_API_TOKEN_SPARC',
        'REDCAP_API_TOKEN_UC_DEMARC',
        'SLACK_WEBHOOK_URL',
      ].map((name) => `  ${name}`),
    );
  });

  test('the pinned copy still passes every workflow check', async () => {
    const repo = target('pin-checked');
    expect(run('fragment-ingestion', '--to', repo, '--owner', 'acme', '--source', source).code).toBe(0);
    const file = path.join(repo, '.github', 'workflows', 'fragment-ingestion.yml');
    const findings = await checkWorkflowText(readFileSync(file, 'utf8'), file, loadContracts(repoRoot), { reference: true });
    expect(findings.map(formatFinding).join('\n')).toBe('');
  });

  test('without --owner and without a GitHub origin the owner stays your-org, with a warning', () => {
    const repo = target('no-owner');
    const result = run('promote-qa', '--to', repo, '--source', source);
    expect(result.code).toBe(0);
    expect(result.err).toContain('warning: no --owner');
    expect(readFileSync(path.join(repo, '.github', 'workflows', 'promote-qa.yml'), 'utf8')).toContain(
      `your-org/pipeline-actions/actions/promote-artifact@${sha['v1.10.0']} # v1.10.0`,
    );
    git(source, 'remote', 'add', 'origin', 'git@github.com:data-team/pipeline-actions.git');
    try {
      const other = target('origin-owner');
      expect(run('promote-qa', '--to', other, '--source', source)).toMatchObject({ code: 0, err: '' });
      expect(readFileSync(path.join(other, '.github', 'workflows', 'promote-qa.yml'), 'utf8')).toContain(
        'data-team/pipeline-actions/actions/',
      );
    } finally {
      git(source, 'remote', 'remove', 'origin');
    }
  });

  test('--ref pins to that release and --sha to that commit', () => {
    const repo = target('pin-ref');
    expect(run('promote-qa', '--to', repo, '--owner', 'acme', '--ref', 'v1.2.0', '--source', source).code).toBe(0);
    const file = path.join(repo, '.github', 'workflows', 'promote-qa.yml');
    expect(readFileSync(file, 'utf8')).toContain(`acme/pipeline-actions/actions/promote-artifact@${sha['v1.2.0']} # v1.2.0`);
    const other = target('pin-sha');
    expect(run('promote-qa', '--to', other, '--owner', 'acme', '--sha', sha['v1.0.0'].slice(0, 10), '--source', source).code).toBe(0);
    expect(readFileSync(path.join(other, '.github', 'workflows', 'promote-qa.yml'), 'utf8')).toContain(
      `acme/pipeline-actions/actions/promote-artifact@${sha['v1.0.0']} # v1.0.0`,
    );
  });

  test('names what is wrong: an unknown release, an unknown commit, an unknown workflow', () => {
    const repo = target('errors');
    expect(run('promote-qa', '--to', repo, '--owner', 'acme', '--ref', 'v9.9.9', '--source', source)).toMatchObject({
      code: 1,
      err: expect.stringContaining('no release tag v9.9.9'),
    });
    expect(run('promote-qa', '--to', repo, '--owner', 'acme', '--sha', 'f'.repeat(40), '--source', source).err).toContain(
      'is not a commit',
    );
    const unknown = run('nightly', '--to', repo, '--owner', 'acme', '--source', source);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no reference workflow "nightly" (available: ci-deploy-dev, fragment-ingestion');
  });

  test('fails clearly when the source has no release tags', () => {
    const bare = path.join(tmp, 'untagged');
    mkdirSync(bare);
    git(bare, 'init', '-q', '-b', 'main');
    cpSync(path.join(repoRoot, 'workflows'), path.join(bare, 'workflows'), { recursive: true });
    git(bare, 'add', '.');
    git(bare, 'commit', '-q', '-m', 'untagged');
    const result = run('promote-qa', '--to', target('no-tags'), '--owner', 'acme', '--source', bare);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^error: no release tags \(vX\.Y\.Z\) in .*untagged/);
  });

  test('refuses to overwrite a changed workflow without --force; an identical one is fine', () => {
    const repo = target('overwrite');
    const file = path.join(repo, '.github', 'workflows', 'promote-prod.yml');
    const args = ['promote-prod', '--to', repo, '--owner', 'acme', '--source', source];
    expect(run(...args).code).toBe(0);
    const copied = readFileSync(file, 'utf8');

    const again = run(...args);
    expect(again.code).toBe(0);
    expect(again.out).toContain('is already this copy');

    writeFileSync(file, `${copied}# a local edit\n`);
    const refused = run(...args);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      'exists and differs from the copy: it is not overwritten (--update re-pins our actions and keeps your edits',
    );
    expect(readFileSync(file, 'utf8')).toBe(`${copied}# a local edit\n`);

    const forced = run(...args, '--force');
    expect(forced.code).toBe(0);
    expect(forced.out).toContain('Overwrote');
    expect(readFileSync(file, 'utf8')).toBe(copied);
  });

  test('--check passes when every reference is pinned to the newest release', () => {
    const repo = target('check-ok');
    run('fragment-ingestion', '--to', repo, '--owner', 'acme', '--source', source);
    const result = run('--check', repo, '--source', source);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^\d+ reference\(s\) to our actions in 1 workflow file\(s\), all pinned to the newest release v1\.10\.0\.$/);
  });

  test('--check reports references that are unpinned or behind the newest release', () => {
    const repo = target('check-bad');
    run('promote-qa', '--to', repo, '--owner', 'acme', '--ref', 'v1.0.0', '--source', source);
    const dir = path.join(repo, '.github', 'workflows');
    writeFileSync(
      path.join(dir, 'own.yaml'),
      [
        'jobs:',
        '  a:',
        '    steps:',
        '      - uses: acme/pipeline-actions/actions/notify-slack@v1',
        `      - uses: acme/pipeline-actions/actions/ssh-tunnel@${sha['v1.10.0']} # v1.10.0`,
        `      - uses: 'acme/pipeline-actions/actions/validate-batch@${sha['v1.0.0'].slice(0, 7)}'`,
        '',
      ].join('\n'),
    );
    const result = run('--check', repo, '--source', source);
    expect(result.code).toBe(1);
    const lines = result.out.split('\n');
    expect(lines).toContain(
      `.github/workflows/own.yaml:4 notify-slack@v1: not pinned to a full commit SHA (newest release: v1.10.0 = ${sha['v1.10.0']})`,
    );
    expect(lines.some((line) => line.startsWith('.github/workflows/own.yaml:6 validate-batch@') && line.includes('not pinned'))).toBe(true);
    expect(lines.filter((line) => line.startsWith('.github/workflows/promote-qa.yml:'))).toHaveLength(4);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^\.github\/workflows\/promote-qa\.yml:\d+ promote-artifact@[0-9a-f]{40}: behind the newest release v1\.10\.0 \(pinned to v1\.0\.0\)$/,
      ),
    );
    expect(result.out).not.toContain('own.yaml:5');
    expect(lines[lines.length - 1]).toBe(
      '6 of 7 reference(s) need updating: pnpm copy-workflow <name> --to <repo dir> --update (keeps your edits).',
    );
  });

  test('knows image-build: the LabLink workflow copies with its pins', () => {
    const repo = target('image-build');
    const result = run('image-build', '--to', repo, '--owner', 'acme', '--source', source);
    expect(result.code).toBe(0);
    const copied = readFileSync(path.join(repo, '.github', 'workflows', 'image-build.yml'), 'utf8');
    expect(copied).toContain(`acme/pipeline-actions/actions/determine-environment@${sha['v1.10.0']} # v1.10.0`);
    expect(copied).toMatch(/docker\/build-push-action@[0-9a-f]{40} # v7\./);
  });

  test("--update re-pins only our references and keeps every other line of the user's copy", () => {
    const repo = target('update');
    const file = path.join(repo, '.github', 'workflows', 'fragment-ingestion.yml');
    expect(run('fragment-ingestion', '--to', repo, '--owner', 'acme', '--ref', 'v1.0.0', '--source', source).code).toBe(0);
    const edited = readFileSync(file, 'utf8')
      .replace("python-version: '3.11'", "python-version: '3.12'")
      .replace('runs-on: ubuntu-latest', 'runs-on: [self-hosted, linux]')
      .concat('# our own note\n');
    writeFileSync(file, edited);

    const result = run('fragment-ingestion', '--to', repo, '--update', '--source', source);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain(`to acme/pipeline-actions@${sha['v1.10.0']} # v1.10.0; every other line kept`);
    const updated = readFileSync(file, 'utf8');
    const before = edited.split('\n');
    const after = updated.split('\n');
    expect(after).toHaveLength(before.length);
    after.forEach((line, index) => {
      if (before[index].includes('/pipeline-actions/actions/')) {
        expect(line).toMatch(new RegExp(`^\\s*-?\\s*uses: acme/pipeline-actions/actions/[a-z-]+@${sha['v1.10.0']} # v1\\.10\\.0$`));
      } else {
        expect(line).toBe(before[index]);
      }
    });
    expect(run('fragment-ingestion', '--to', repo, '--update', '--source', source).out).toContain(
      'already pinned to v1.10.0; nothing written',
    );
  });

  test('--update needs an existing copy and refuses --force with it', () => {
    const repo = target('update-missing');
    expect(run('promote-qa', '--to', repo, '--update', '--source', source)).toMatchObject({
      code: 1,
      err: expect.stringContaining('does not exist: copy it first'),
    });
    expect(run('promote-qa', '--to', repo, '--update', '--force', '--source', source).err).toContain('not both');
  });

  test('--check reports third-party actions that are not SHA-pinned or run on a deprecated Node', () => {
    const repo = target('check-third-party');
    run('promote-qa', '--to', repo, '--owner', 'acme', '--source', source);
    const dir = path.join(repo, '.github', 'workflows');
    writeFileSync(
      path.join(dir, 'ci.yml'),
      [
        'jobs:',
        '  a:',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4.4.0',
        '      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1',
        '      - uses: ./local-action',
        '',
      ].join('\n'),
    );
    const result = run('--check', repo, '--source', source);
    expect(result.code).toBe(1);
    const lines = result.out.split('\n');
    expect(lines).toContain(
      '.github/workflows/ci.yml:4 actions/checkout@v4: not pinned to a full commit SHA (write actions/checkout@<sha> # vX.Y.Z)',
    );
    expect(lines).toContain(
      '.github/workflows/ci.yml:4 actions/checkout@v4: v4 runs on node20, which GitHub has deprecated; move to v7 (node24)',
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^\.github\/workflows\/ci\.yml:5 actions\/setup-node@4993.* \(v4\.4\.0\): v4 runs on node20/),
    );
    expect(result.out).not.toContain('ci.yml:6');
    expect(result.out).not.toContain('ci.yml:7');
    expect(result.out).not.toContain('promote-qa.yml');
    expect(lines[lines.length - 1]).toContain('3 third-party reference problem(s)');
  });

  test('runs as a command: relative paths are taken from the caller, the exit code reports the check', () => {
    const repo = target('cli');
    // Like pnpm: the script runs in the workspace root and INIT_CWD names the caller's directory.
    const options = { cwd: repoRoot, encoding: 'utf8' as const, env: { ...process.env, INIT_CWD: tmp } };
    const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
    const script = path.join(repoRoot, 'scripts', 'copy-workflow', 'index.ts');
    const copy = spawnSync(tsx, [script, 'notify', '--to', 'cli', '--owner', 'acme', '--source', source], options);
    expect(copy.status).toBe(1);
    expect(copy.stderr).toContain('error: no reference workflow "notify"');
    const ok = spawnSync(tsx, [script, 'ci-deploy-dev', '--to', 'cli', '--owner', 'acme', '--source', source], options);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(path.join(repo, '.github', 'workflows', 'ci-deploy-dev.yml'));
    const check = spawnSync(tsx, [script, '--check', 'cli', '--source', source], options);
    expect(check.status).toBe(0);
  });
});
