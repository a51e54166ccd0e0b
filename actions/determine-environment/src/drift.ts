import { join, normalize, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isPlainObject } from '@pipeline-actions/kit';
import { normaliseCron } from './cron.js';
import type { ScheduleRule } from './inputs.js';

/**
 * The workflow file GITHUB_WORKFLOW_REF names, inside the workspace:
 * `octo-org/repo/.github/workflows/x.yml@refs/heads/main` gives `<workspace>/.github/workflows/x.yml`.
 * Undefined when the ref does not have that shape or would leave the workspace.
 */
export function workflowFilePath(workflowRef: string, workspace: string): string | undefined {
  const match = /^[^/]+\/[^/]+\/(.+?)@[^@]*$/.exec(workflowRef);
  if (!match || !workspace) return undefined;
  const relative = normalize(match[1]);
  if (relative.startsWith('..') || relative.startsWith(sep)) return undefined;
  return join(workspace, relative);
}

/** The crons of a workflow's `on.schedule`, as written. */
export function workflowCrons(workflowText: string): string[] {
  const workflow: unknown = parseYaml(workflowText);
  if (!isPlainObject(workflow)) return [];
  const on = workflow.on;
  if (!isPlainObject(on) || !Array.isArray(on.schedule)) return [];
  return on.schedule.flatMap((item: unknown) => (isPlainObject(item) && typeof item.cron === 'string' ? [item.cron] : []));
}

export interface ScheduleDrift {
  /** Crons in the workflow that `schedules` does not map: a run from them would fail. */
  unmapped: string[];
  /** Mapped crons the workflow no longer has. */
  stale: ScheduleRule[];
}

export function scheduleDrift(workflowCronList: string[], schedules: ScheduleRule[]): ScheduleDrift {
  const inWorkflow = new Set(workflowCronList.map(normaliseCron));
  const mapped = new Set(schedules.map((s) => s.cron));
  return {
    unmapped: workflowCronList.filter((c) => !mapped.has(normaliseCron(c))),
    stale: schedules.filter((s) => !inWorkflow.has(s.cron)),
  };
}
