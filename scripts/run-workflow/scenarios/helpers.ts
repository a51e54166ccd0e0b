// Shared by the scenario tests: a throwaway copy of a repository fixture holding the reference workflow as it is in
// workflows/, and runs of that YAML with run-workflow against one set of local services per test file.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWorkflow, type JobResult, type LocalServices, type RunResult, type RunWorkflowOptions } from '../src/index.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
/** A run of a whole workflow against the local services, on a loaded 2-core machine. */
export const RUN_TIMEOUT = 240_000;

const made: string[] = [];

/** workflows/<name>.yml, the file users copy: the scenarios execute it as it is. */
export const workflowFile = (name: string) => join(ROOT, 'workflows', `${name}.yml`);

/**
 * A copy of fixtures/<fixture> with the named reference workflows under .github/workflows (where determine-environment's
 * drift check reads them). `git: true` makes it a repository with one commit, so checkouts by SHA work.
 */
export function makeRepo(fixture: string, workflows: string[], options: { git?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), `scenario-${fixture}-`));
  made.push(dir);
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
  for (const name of workflows) cpSync(workflowFile(name), join(dir, '.github', 'workflows', `${name}.yml`));
  if (options.git) commitAll(dir, 'fixture');
  return dir;
}

/** Commits everything in a git fixture; returns the new commit's SHA. */
export function commitAll(dir: string, message: string): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Dev',
        GIT_AUTHOR_EMAIL: 'dev@example.com',
        GIT_COMMITTER_NAME: 'Dev',
        GIT_COMMITTER_EMAIL: 'dev@example.com',
      },
    }).trim();
  try {
    git('rev-parse', '--git-dir');
  } catch {
    git('init', '-q', '-b', 'main');
  }
  git('add', '-A');
  git('commit', '-q', '--allow-empty', '-m', message);
  return git('rev-parse', 'HEAD');
}

export function removeRepos(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Runs workflows/<name>.yml with the test file's services; the transcript is kept for a failing assertion. */
export function run(
  services: LocalServices,
  name: string,
  repo: string,
  options: Omit<RunWorkflowOptions, 'workflow' | 'services' | 'repo'> = {},
): Promise<RunResult> {
  return runWorkflow({ workflow: workflowFile(name), services, repo, ...options });
}

export const results = (run: RunResult) => Object.fromEntries(Object.entries(run.jobs).map(([id, job]) => [id, job.result]));

export function step(job: JobResult, id: string) {
  const found = job.steps.find((s) => s.id === id || s.name === id);
  if (!found) throw new Error(`no step ${id} in ${JSON.stringify(job.steps.map((s) => s.id || s.name))}`);
  return found;
}

/** Everything the run's jobs wrote to their summaries and annotations, for assertions on what a user reads. */
export function readable(run: RunResult, job?: string): string {
  const jobs = job ? [run.jobs[job]] : Object.values(run.jobs);
  return jobs
    .flatMap((j) => [j.summary ?? '', ...j.steps.flatMap((s) => [...(s.errors ?? []), ...(s.warnings ?? []), ...(s.notices ?? [])])])
    .join('\n');
}

/** A batch id of today's date, as validate-batch's default pattern wants it (not in the future, not too old). */
export function todaysBatchId(seconds: number): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `batch_${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}_00${pad(Math.floor(seconds / 60) % 60)}${pad(seconds % 60)}`;
}
