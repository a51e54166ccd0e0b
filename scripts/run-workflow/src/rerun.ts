// "Re-run failed jobs" as GitHub documents it: the run keeps its id and number, github.run_attempt grows by one, the
// failed and cancelled jobs (for a matrix, its failed and cancelled legs) and every job that depends on them run again
// with the same event; the other jobs keep their results and outputs.
// https://docs.github.com/actions/managing-workflow-runs-and-deployments/managing-workflow-runs/re-running-workflows-and-jobs
import { resolve } from 'node:path';
import { UsageError, type JobResult, type LegResult, type RunResult, type RunWorkflowOptions } from './types.js';
import type { WorkflowFile } from './workflow-file.js';

/** The options of the re-run: the earlier run's event, payload, ref and schedule, whatever else was given. */
export function rerunOptions(wf: WorkflowFile, options: RunWorkflowOptions, previous: RunResult): RunWorkflowOptions {
  if (resolve(previous.workflow) !== resolve(wf.path))
    throw new UsageError(`rerunOf is a run of ${previous.workflow}, not of ${wf.path}: a re-run runs the same workflow.`);
  if (!Object.values(previous.jobs).some((j) => j.result === 'failure' || j.result === 'cancelled'))
    throw new UsageError(`Run ${previous.runId} (attempt ${previous.runAttempt}) has no failed or cancelled job to re-run.`);
  return {
    ...options,
    event: previous.event,
    inputs: undefined,
    payload: previous.payload,
    ref: previous.ref,
    cron: previous.cron,
    comment: undefined,
  };
}

/** The jobs that run again: the failed and cancelled ones and everything downstream of them. */
export function jobsToRerun(wf: WorkflowFile, previous: RunResult, ancestors: (id: string) => Set<string>): Set<string> {
  const again = (id: string) => {
    const before = previous.jobs[id]?.result;
    return before === undefined || before === 'failure' || before === 'cancelled';
  };
  const rerun = new Set(wf.jobs.map((j) => j.id).filter(again));
  for (const j of wf.jobs) if ([...ancestors(j.id)].some((a) => rerun.has(a))) rerun.add(j.id);
  return rerun;
}

/** The earlier attempt's successful leg with this matrix, kept as it was. */
export function keptLeg(previous: JobResult | undefined, matrix: Record<string, unknown>): LegResult | undefined {
  const key = JSON.stringify(matrix);
  return previous?.legs?.find((l) => l.result === 'success' && JSON.stringify(l.matrix) === key);
}
