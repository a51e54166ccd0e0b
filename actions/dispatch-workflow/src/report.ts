import { markdownTable } from '@pipeline-actions/kit';
import { duration, type DispatchResult, type JobState, type WaitResult } from '@pipeline-actions/dispatch';

export interface Dispatched {
  workflow: string;
  ref: string;
  repository: string;
}

/** The job summary: what was dispatched, the run, and (when waited for) its jobs and their conclusions. */
export function renderSummary(what: Dispatched, result: DispatchResult, waited?: WaitResult): string {
  const status = waited ? (waited.timedOut ? `${waited.status} (timed out)` : waited.status) : (result.status ?? '');
  const lines = [
    `### Dispatched ${what.workflow} on ${what.ref}`,
    '',
    markdownTable(
      ['Run', 'Repository', 'Identified by', 'Status', 'Conclusion'],
      [[`[#${result.runNumber ?? result.runId}](${result.runUrl})`, what.repository, result.method, status, waited?.conclusion ?? '']],
    ),
  ];
  if (waited && waited.jobs.length > 0) lines.push('', jobsTable(waited.jobs));
  return lines.join('\n');
}

export function jobsTable(jobs: JobState[]): string {
  return markdownTable(
    ['Job', 'Conclusion', 'Duration'],
    jobs.map((j) => [j.htmlUrl ? `[${j.name}](${j.htmlUrl})` : j.name, j.conclusion ?? j.status, duration(j.startedAt, j.completedAt)]),
  );
}
