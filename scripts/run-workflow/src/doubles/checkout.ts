// actions/checkout: the scenario's repository fixture (--repo) into the workspace, at the requested ref when the
// fixture is a git repository. persist-credentials, fetch-depth, sparse-checkout are accepted; no credentials are written.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { StepFailure, type ActionDouble } from './types.js';

function git(cwd: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ok: r.status === 0, out: (r.stdout ?? '').trim() };
}

function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    if (entry === '.git' || entry === 'node_modules') continue;
    cpSync(join(from, entry), join(to, entry), { recursive: true, verbatimSymlinks: true });
  }
}

export const checkout: ActionDouble = {
  action: 'actions/checkout',
  description:
    "Copies the repository fixture (`--repo`, default: the current git repository's tracked and unignored files) into the workspace (or `path`); with `ref` in a git fixture, that ref's tree (`git archive`). `persist-credentials`, `fetch-depth`, `sparse-checkout` accepted; no credentials are written.",
  async run(step) {
    const repo = step.job.run.repoDir;
    if (!repo)
      throw new StepFailure('actions/checkout: no repository fixture to check out (give --repo DIR, or run inside a git repository).');
    const dest = resolve(step.job.workspace, step.with.path || '.');
    if (!dest.startsWith(step.job.workspace)) throw new StepFailure(`actions/checkout: path '${step.with.path}' is outside the workspace.`);
    mkdirSync(dest, { recursive: true });
    // Only a fixture that is a repository of its own has refs; a directory inside another repository is copied as it is.
    const top = git(repo, ['rev-parse', '--show-toplevel']);
    const isGit = top.ok && realpathSync(top.out) === realpathSync(repo);
    const ref = step.with.ref || '';
    if (isGit && ref) {
      const resolved = git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
      if (!resolved.ok) throw new StepFailure(`actions/checkout: ref '${ref}' is not in the repository fixture ${repo}.`);
      const archive = spawnSync('sh', ['-c', `git archive --format=tar "$0" | tar -x -C "$1"`, resolved.out, dest], {
        cwd: repo,
        encoding: 'utf8',
      });
      if (archive.status !== 0) throw new StepFailure(`actions/checkout: could not extract ${ref}: ${archive.stderr}`);
      step.info(`Checked out ${ref} (${resolved.out.slice(0, 7)}) of ${repo}`);
      step.setOutput('ref', ref);
      step.setOutput('commit', resolved.out);
      return;
    }
    if (top.ok) {
      const files = git(repo, ['ls-files', '-co', '--exclude-standard', '-z']).out.split('\0').filter(Boolean);
      for (const file of files) {
        const from = join(repo, file);
        if (!existsSync(from) || statSync(from).isDirectory()) continue;
        mkdirSync(dirname(join(dest, file)), { recursive: true });
        cpSync(from, join(dest, file), { verbatimSymlinks: true });
      }
    } else {
      copyTree(repo, dest);
    }
    const sha = String(step.job.run.github.sha);
    step.info(
      `Copied ${repo} into ${step.with.path || 'the workspace'}${ref ? ` (ref '${ref}' requested; the fixture is not a git repository, so its files as they are)` : ''}`,
    );
    step.setOutput('ref', ref || String(step.job.run.github.ref));
    step.setOutput('commit', sha);
  },
};
