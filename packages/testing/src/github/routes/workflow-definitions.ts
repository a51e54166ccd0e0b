// What the fake workflows routes read from a workflow file, and the run filters they apply.
import { parse as parseYaml } from 'yaml';
import type { FakeJob, RunStage } from './workflows.js';

/** What the fake reads from a workflow file. */
export interface ParsedWorkflow {
  name?: string;
  runName?: string;
  dispatch: boolean;
  inputs: Record<string, { type?: string; required?: boolean; default?: unknown; options?: string[] }>;
  jobs: { name: string; steps: string[] }[];
}

export function parseWorkflow(yaml: string): ParsedWorkflow {
  const doc = (parseYaml(yaml) ?? {}) as Record<string, unknown>;
  const on = doc.on;
  const dispatch =
    on === 'workflow_dispatch' ||
    (Array.isArray(on) && on.includes('workflow_dispatch')) ||
    (typeof on === 'object' && on !== null && 'workflow_dispatch' in on);
  const trigger = (
    typeof on === 'object' && on !== null && !Array.isArray(on) ? (on as Record<string, unknown>).workflow_dispatch : undefined
  ) as { inputs?: ParsedWorkflow['inputs'] } | null | undefined;
  const jobs = Object.entries(
    (doc.jobs ?? {}) as Record<string, { name?: string; steps?: { name?: string; uses?: string; run?: string }[] }>,
  ).map(([key, job]) => ({
    name: job?.name ?? key,
    steps: (job?.steps ?? []).map((s) => s.name ?? (s.uses ? `Run ${s.uses}` : `Run ${String(s.run ?? '').split('\n')[0]}`)),
  }));
  return {
    name: typeof doc.name === 'string' ? doc.name : undefined,
    runName: typeof doc['run-name'] === 'string' ? doc['run-name'] : undefined,
    dispatch,
    inputs: trigger?.inputs ?? {},
    jobs,
  };
}

/** `${{ inputs.x }}`, `${{ github.event.inputs.x }}`, `${{ github.ref_name }}` and `${{ github.actor }}`; anything else becomes ''. */
export function render(template: string, context: { inputs: Record<string, string>; refName: string; actor: string }): string {
  return template.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
    const input = /^(?:github\.event\.)?inputs\.([A-Za-z0-9_-]+)$/.exec(expr);
    if (input) return context.inputs[input[1]] ?? '';
    if (expr === 'github.ref_name') return context.refName;
    if (expr === 'github.actor') return context.actor;
    if (expr === 'github.event_name') return 'workflow_dispatch';
    return '';
  });
}

/** Queued for two reads (the dispatcher's and the first poll), then each step of each job, then success. */
export function defaultLifecycle(jobs: FakeJob[]): RunStage[] {
  return [
    { status: 'queued' },
    { status: 'queued' },
    ...jobs.flatMap((job) => job.steps.map((step): RunStage => ({ status: 'in_progress', job: job.name, step }))),
    { status: 'completed', conclusion: 'success' },
  ];
}

/** GitHub's `created` search qualifier: `>=T`, `>T`, `<=T`, `<T`, `A..B` or a date. */
export function createdFilter(value: string): (date: Date) => boolean {
  const range = /^(.+)\.\.(.+)$/.exec(value);
  if (range) {
    const [from, to] = [Date.parse(range[1]), Date.parse(range[2])];
    return (d) => d.getTime() >= from && d.getTime() <= to;
  }
  const m = /^(>=|<=|>|<)?(.+)$/.exec(value)!;
  const t = Date.parse(m[2]);
  const s = (d: Date) => Math.floor(d.getTime() / 1000) * 1000;
  switch (m[1]) {
    case '>=':
      return (d) => s(d) >= t;
    case '>':
      return (d) => s(d) > t;
    case '<=':
      return (d) => s(d) <= t;
    case '<':
      return (d) => s(d) < t;
    default:
      return (d) => d.toISOString().slice(0, 10) === m[2].slice(0, 10);
  }
}
