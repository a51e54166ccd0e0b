import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobResult, RunResult } from '../src/index.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const REPO_FIXTURE = join(FIXTURES, 'repo');
export const fixture = (name: string) => join(FIXTURES, name);

export function step(job: JobResult, id: string) {
  const found = job.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id} in ${JSON.stringify(job.steps.map((s) => s.id))}`);
  return found;
}

export const results = (run: RunResult) => Object.fromEntries(Object.entries(run.jobs).map(([id, j]) => [id, j.result]));
