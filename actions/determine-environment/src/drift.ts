import { basename, join, normalize, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isPlainObject } from '@pipeline-actions/kit';
import { normaliseCron } from './cron.js';
import type { Inputs, ScheduleRule } from './inputs.js';
import { matchingRule, type GlobRule } from './rules.js';

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

/** `image-build.yml` from GITHUB_WORKFLOW_REF, '' when it has no workflow path. */
export function workflowFileName(workflowRef: string): string {
  const match = /^[^/]+\/[^/]+\/(.+?)@[^@]*$/.exec(workflowRef);
  return match ? basename(match[1]) : '';
}

/** The triggers of a workflow that the mapping must agree with. */
export interface WorkflowTriggers {
  crons: string[];
  /** `on.push.branches` / `tags` as written (with `!` patterns); undefined when the filter is absent. */
  pushBranches?: string[];
  pushTags?: string[];
  /** The choice options of `on.workflow_dispatch.inputs.environment`; undefined when it is not a choice. */
  dispatchOptions?: string[];
}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : undefined;

export function workflowTriggers(workflowText: string): WorkflowTriggers {
  const workflow: unknown = parseYaml(workflowText, { merge: true });
  const on = isPlainObject(workflow) ? workflow.on : undefined;
  if (!isPlainObject(on)) return { crons: [] };
  const crons = Array.isArray(on.schedule)
    ? on.schedule.flatMap((item: unknown) => (isPlainObject(item) && typeof item.cron === 'string' ? [item.cron] : []))
    : [];
  const push = isPlainObject(on.push) ? on.push : {};
  const dispatchInputs = isPlainObject(on.workflow_dispatch) ? on.workflow_dispatch.inputs : undefined;
  const environment = isPlainObject(dispatchInputs) ? dispatchInputs.environment : undefined;
  const options = isPlainObject(environment) && environment.type === 'choice' ? strings(environment.options) : undefined;
  return { crons, pushBranches: strings(push.branches), pushTags: strings(push.tags), dispatchOptions: options };
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

export interface DriftReport {
  errors: string[];
  warnings: string[];
}

/** Every disagreement between the workflow file and the inputs, each named. */
export function driftReport(triggers: WorkflowTriggers, inputs: Inputs, file: string): DriftReport {
  const errors: string[] = [];
  const warnings: string[] = [];
  const drift = scheduleDrift(triggers.crons, inputs.schedules);
  const mappedCrons = inputs.schedules.map((s) => `'${s.pattern}'`).join(', ') || 'none';
  for (const rule of drift.stale) {
    warnings.push(`Input 'schedules': line ${rule.line} maps cron '${rule.pattern}', which ${file} no longer schedules.`);
  }
  for (const cron of drift.unmapped) {
    errors.push(
      `Input 'schedules': ${file} schedules cron '${cron}', which 'schedules' does not map (mapped crons: ${mappedCrons}): add a line '${cron} => ENVIRONMENT'.`,
    );
  }
  refDrift('branches', triggers.pushBranches, inputs.branches, inputs.default, file, errors);
  refDrift('tags', triggers.pushTags, inputs.tags, inputs.default, file, errors);
  for (const option of triggers.dispatchOptions ?? []) {
    if (inputs.allowed.length > 0 && !inputs.allowed.includes(option)) {
      errors.push(
        `Input 'allowed': ${file} offers workflow_dispatch option '${option}' for input 'environment', which 'allowed' does not list (${inputs.allowed.join(', ')}): add it to 'allowed' or remove the option.`,
      );
    }
  }
  return { errors, warnings };
}

/**
 * Each positive `on.push.branches` (`tags`) pattern must reach an environment: the same pattern in the
 * mapping, a rule that matches it as a name, or `default`. Checked only when the mapping input is set.
 */
function refDrift(
  input: 'branches' | 'tags',
  workflowPatterns: string[] | undefined,
  rules: GlobRule[],
  fallback: string,
  file: string,
  errors: string[],
): void {
  if (!workflowPatterns || rules.length === 0 || fallback) return;
  const mapped = rules.map((r) => (r.negated ? `!${r.pattern}` : r.pattern)).join(', ');
  for (const pattern of workflowPatterns) {
    if (pattern.startsWith('!')) continue;
    const same = rules.some((r) => !r.negated && r.pattern === pattern);
    if (same || matchingRule(rules, pattern)) continue;
    errors.push(
      `Input '${input}': ${file} runs on push to ${input === 'tags' ? 'tag' : 'branch'} pattern '${pattern}', which '${input}' does not map (mapped: ${mapped}) and 'default' is empty: add a line '${pattern} => ENVIRONMENT'.`,
    );
  }
}
