import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { UploadFile } from './web-api.js';

/** The `upload` keyword for the job summary (what earlier steps of this job wrote to GITHUB_STEP_SUMMARY). */
export const JOB_SUMMARY = 'job-summary';
/** Slack's limit for one file. */
const MAX_FILE_BYTES = 1024 ** 3;

/**
 * Resolves the `upload` list to files that exist and are not empty (Slack refuses an empty upload).
 * A missing file is a warning, not a failure: a log that was never written should not hide the message.
 */
export function resolveUploads(entries: string[], env: NodeJS.ProcessEnv): { files: UploadFile[]; warnings: string[] } {
  const files: UploadFile[] = [];
  const warnings: string[] = [];
  for (const entry of entries) {
    if (entry === JOB_SUMMARY) {
      const summary = collectJobSummary(env);
      if (summary) files.push(summary);
      else warnings.push('No job summary to upload: no earlier step of this job wrote to GITHUB_STEP_SUMMARY.');
      continue;
    }
    const path = isAbsolute(entry) ? entry : resolve(env.GITHUB_WORKSPACE || process.cwd(), entry);
    if (!existsSync(path) || !statSync(path).isFile()) warnings.push(`Not uploaded: ${entry} is not a file.`);
    else if (statSync(path).size === 0) warnings.push(`Not uploaded: ${entry} is empty.`);
    else if (statSync(path).size > MAX_FILE_BYTES) warnings.push(`Not uploaded: ${entry} is larger than Slack's 1 GB limit.`);
    else files.push({ file: path, filename: basename(path) });
  }
  return { files, warnings };
}

/**
 * The runner gives each step its own summary file (`step_summary_<id>`) in one directory and reads
 * them as the job goes; the earlier steps' files are joined, oldest first, into job-summary.md.
 */
function collectJobSummary(env: NodeJS.ProcessEnv): UploadFile | undefined {
  const own = env.GITHUB_STEP_SUMMARY;
  if (!own) return undefined;
  const dir = dirname(own);
  if (!existsSync(dir)) return undefined;
  const parts = readdirSync(dir)
    .filter((name) => name.startsWith('step_summary_') && join(dir, name) !== own)
    .map((name) => ({ path: join(dir, name), at: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => a.at - b.at || a.path.localeCompare(b.path))
    .map((f) => readFileSync(f.path, 'utf8').trim())
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  const file = join(env.RUNNER_TEMP || dir, `job-summary-${process.pid}.md`);
  writeFileSync(file, `${parts.join('\n\n')}\n`);
  return { file, filename: 'job-summary.md' };
}
