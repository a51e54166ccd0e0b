// Audit rules from running the reference workflows (issue 14): what a workflow must not do with its tokens and inputs.
import { collectStrings, expressionsOf } from './expressions.js';
import { parseUses, type Finding, type JobModel, type StepModel, type WorkflowModel } from './model.js';

/** Events whose runs hold the base repository's secrets and a write token while pull-request code is reachable. */
const PRIVILEGED_EVENTS = ['issue_comment', 'pull_request_target', 'workflow_run'];
const WRITE_SCOPES = ['contents', 'id-token', 'deployments'];
const PRODUCTION_SECRET = /PROD|APPLY|DEPLOY/i;

function triggers(workflow: WorkflowModel): string[] {
  const on = workflow.raw.on;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return on !== null && typeof on === 'object' ? Object.keys(on) : [];
}

function isCheckout(step: StepModel): boolean {
  const ref = step.uses ? parseUses(step.uses) : undefined;
  return ref?.kind === 'remote' && ref.repo.toLowerCase() === 'actions/checkout';
}

function isOurs(step: StepModel, action: string): boolean {
  const ref = step.uses ? parseUses(step.uses) : undefined;
  return ref?.kind === 'ours' && ref.action === action;
}

function label(job: JobModel, step: StepModel): string {
  return `job "${job.id}" ${step.id ? `step "${step.id}"` : `step ${step.index + 1}${step.name ? ` ("${step.name}")` : ''}`}`;
}

/**
 * A determine-environment step that resolves the pull request through the API, refuses forks and checks the actor's
 * repository permission (its defaults for slash commands: `forks: refuse`, `allowed-permission: write`).
 */
function isPullRequestGuard(step: StepModel): boolean {
  if (!isOurs(step, 'determine-environment')) return false;
  const forks = String(step.with.forks ?? 'refuse').trim();
  const permission = String(step.with['allowed-permission'] ?? 'write').trim();
  return forks === 'refuse' && ['write', 'maintain', 'admin'].includes(permission);
}

/** The jobs `job` waits for, directly or through other jobs. */
function ancestors(workflow: WorkflowModel, job: JobModel): JobModel[] {
  const byId = new Map(workflow.jobs.map((j) => [j.id, j]));
  const seen = new Set<string>();
  const queue = [...job.needs];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(byId.get(id)?.needs ?? []));
  }
  return [...seen].map((id) => byId.get(id)).filter((j): j is JobModel => j !== undefined);
}

/** The ref is exactly one output of the guard job (the SHA it resolved), not a ref built around it (refs/pull/N/head). */
function resolvedBy(guard: JobModel, ref: string): boolean {
  const match = /^\$\{\{\s*needs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)\s*\}\}$/.exec(ref);
  return match !== null && match[1] === guard.id;
}

/**
 * No pwn request: on issue_comment, pull_request_target and workflow_run, a checkout of another ref (the pull
 * request's code) needs a guard before it (a job it needs, or an earlier step) that checked the pull request comes
 * from this repository and the actor's permission, and must check out the SHA the guard job resolved (`needs.*`).
 */
export function lintPwnRequest(workflow: WorkflowModel): Finding[] {
  const events = triggers(workflow).filter((event) => PRIVILEGED_EVENTS.includes(event));
  if (events.length === 0) return [];
  const findings: Finding[] = [];
  for (const job of workflow.jobs) {
    const guardJobs = ancestors(workflow, job).filter((j) => j.steps.some(isPullRequestGuard));
    job.steps.forEach((step, index) => {
      const ref = String(step.with.ref ?? '').trim();
      if (!isCheckout(step) || ref === '') return;
      const guardedHere = job.steps.slice(0, index).some(isPullRequestGuard);
      const where = `${label(job, step)}: on ${events.join('/')} this checkout of ${ref}`;
      if (guardJobs.length === 0 && !guardedHere) {
        findings.push({
          file: workflow.file,
          line: step.line,
          rule: 'pwn-request',
          message: `${where} runs pull-request code with this repository's secrets and token, and no job before it checked that the pull request is from this repository and the actor's permission (add a job with determine-environment, forks: refuse, allowed-permission: write, and make this job need it)`,
        });
      } else if (!guardedHere && !guardJobs.some((guard) => resolvedBy(guard, ref))) {
        findings.push({
          file: workflow.file,
          line: step.line,
          rule: 'pwn-request',
          message: `${where} is not the SHA the checking job resolved: check out needs.${guardJobs[0].id}.outputs.<sha output>, so a push after the check cannot change what runs`,
        });
      }
    });
  }
  return findings;
}

/** The job's effective token permissions: its own `permissions:`, else the workflow's; undefined when neither says. */
function permissionsOf(workflow: WorkflowModel, job: JobModel): Record<string, string> | 'write-all' | undefined {
  const value = 'permissions' in job.raw ? job.raw.permissions : workflow.raw.permissions;
  if (value === 'write-all') return 'write-all';
  if (value === 'read-all' || value === null || value === undefined) return value === 'read-all' ? {} : undefined;
  return typeof value === 'object' ? (value as Record<string, string>) : {};
}

function productionSecrets(job: JobModel): string[] {
  const names = new Set<string>();
  for (const { path, value } of collectStrings(job.raw)) {
    for (const expression of expressionsOf(path, value)) {
      for (const match of expression.matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
        if (PRODUCTION_SECRET.test(match[1])) names.add(match[1]);
      }
    }
  }
  return [...names].sort();
}

/**
 * The repository's own code (a `run:` step after a checkout) runs without write tokens or production secrets,
 * unless the job is a deploy job: one with an `environment:`, whose protection rules gate it.
 */
export function lintPrivilegedUserCode(workflow: WorkflowModel): Finding[] {
  const findings: Finding[] = [];
  for (const job of workflow.jobs) {
    if ('environment' in job.raw) continue;
    const checkout = job.steps.findIndex(isCheckout);
    const userStep = checkout < 0 ? undefined : job.steps.slice(checkout + 1).find((step) => step.run !== undefined);
    if (!userStep) continue;
    const permissions = permissionsOf(workflow, job);
    const writes =
      permissions === 'write-all'
        ? ['write-all']
        : WRITE_SCOPES.filter((scope) => permissions?.[scope] === 'write').map((s) => `${s}: write`);
    const held = [...writes, ...productionSecrets(job).map((name) => `secrets.${name}`)];
    if (held.length === 0) continue;
    findings.push({
      file: workflow.file,
      line: userStep.line,
      rule: 'privileged-user-code',
      message: `${label(job, userStep)} runs the repository's code in a job that holds ${held.join(', ')}: move the write to a small job that runs only actions, or make this a deploy job (environment: with protection rules)`,
    });
  }
  return findings;
}

/** `inputs.n || 50` on a number input turns an explicit 0 into 50, so a range check never sees it. */
export function lintNumberDefault(workflow: WorkflowModel): Finding[] {
  const on = workflow.raw.on;
  const numbers = new Set<string>();
  if (on !== null && typeof on === 'object' && !Array.isArray(on)) {
    for (const trigger of ['workflow_dispatch', 'workflow_call']) {
      const inputs = ((on as Record<string, { inputs?: Record<string, { type?: string } | null> } | null>)[trigger]?.inputs ??
        {}) as Record<string, { type?: string } | null>;
      for (const [name, spec] of Object.entries(inputs)) if (spec?.type === 'number') numbers.add(name);
    }
  }
  if (numbers.size === 0) return [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const scan = (raw: unknown, where: string, line: number | undefined) => {
    for (const { path, value } of collectStrings(raw)) {
      for (const expression of expressionsOf(path, value)) {
        for (const match of expression.matchAll(/\b(?:github\.event\.)?inputs\.([A-Za-z0-9_-]+)\s*\|\|/g)) {
          const key = `${where}:${path.join('.')}:${match[1]}`;
          if (!numbers.has(match[1]) || seen.has(key)) continue;
          seen.add(key);
          findings.push({
            file: workflow.file,
            line,
            rule: 'number-default',
            message: `${where} ${path.join('.')}: \`inputs.${match[1]} || ...\` replaces an explicit 0 of the number input ${match[1]} (a dispatch always has the declared default; for other events use \`github.event_name != 'workflow_dispatch' && <default> || inputs.${match[1]}\`)`,
          });
        }
      }
    }
  };
  for (const job of workflow.jobs) scan(job.raw, `job "${job.id}"`, job.line);
  const { jobs: _jobs, ...top } = workflow.raw;
  void _jobs;
  scan(top, 'workflow', undefined);
  return findings;
}

/** The three audit rules. */
export function auditWorkflow(workflow: WorkflowModel): Finding[] {
  return [...lintPwnRequest(workflow), ...lintPrivilegedUserCode(workflow), ...lintNumberDefault(workflow)];
}
