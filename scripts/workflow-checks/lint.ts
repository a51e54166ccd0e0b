// Workflow hygiene rules that actionlint does not enforce.
import { auditWorkflow } from './audit.js';
import { collectStrings, expressionsOf } from './expressions.js';
import { parseUses, type Finding, type JobModel, type StepModel, type WorkflowModel } from './model.js';

const FULL_SHA = /^[0-9a-f]{40}$/;
const VERSION_COMMENT = /^v\d+(\.\d+){0,2}\b/;

function stepLabel(job: JobModel, step: StepModel): string {
  return `job "${job.id}" ${step.id ? `step "${step.id}"` : `step ${step.index + 1}${step.name ? ` ("${step.name}")` : ''}`}`;
}

/** `${{ }}` inside a run: script is a script-injection risk: values go through env:. */
export function lintRunExpressions(workflow: WorkflowModel): Finding[] {
  const findings: Finding[] = [];
  for (const job of workflow.jobs) {
    for (const step of job.steps) {
      if (step.run?.includes('${{')) {
        findings.push({
          file: workflow.file,
          line: step.line,
          rule: 'run-expression',
          message: `${stepLabel(job, step)}: \`\${{ }}\` inside run: (pass the value through env: and use "$NAME")`,
        });
      }
    }
  }
  return findings;
}

/** Third-party actions must be pinned to a full commit SHA with a `# vX.Y.Z` comment; Docker images by digest. */
export function lintPinning(workflow: WorkflowModel): Finding[] {
  const findings: Finding[] = [];
  const check = (job: JobModel, step: StepModel | undefined, uses: string, comment: string | undefined, line: number | undefined) => {
    const where = step ? stepLabel(job, step) : `job "${job.id}"`;
    const ref = parseUses(uses);
    if (ref.kind === 'ours' || ref.kind === 'local') return;
    if (ref.kind === 'docker') {
      if (!/@sha256:[0-9a-f]{64}$/.test(ref.image)) {
        findings.push({
          file: workflow.file,
          line,
          rule: 'unpinned-action',
          message: `${where}: docker://${ref.image} is not pinned by @sha256 digest`,
        });
      }
      return;
    }
    if (!FULL_SHA.test(ref.ref)) {
      findings.push({
        file: workflow.file,
        line,
        rule: 'unpinned-action',
        message: `${where}: ${uses} is not pinned to a full 40-character commit SHA (write ${ref.repo}@<sha> # vX.Y.Z)`,
      });
    } else if (!comment || !VERSION_COMMENT.test(comment)) {
      findings.push({
        file: workflow.file,
        line,
        rule: 'pin-comment',
        message: `${where}: ${ref.repo} is pinned to a SHA without a "# vX.Y.Z" comment naming the version`,
      });
    }
  };
  for (const job of workflow.jobs) {
    if (job.uses) check(job, undefined, job.uses, undefined, job.line);
    for (const step of job.steps) if (step.uses) check(job, step, step.uses, step.usesComment, step.line);
  }
  return findings;
}

/** Every job states its permissions and (unless it calls a reusable workflow) a timeout. */
export function lintJobLimits(workflow: WorkflowModel): Finding[] {
  const findings: Finding[] = [];
  for (const job of workflow.jobs) {
    if (!('permissions' in job.raw)) {
      findings.push({ file: workflow.file, line: job.line, rule: 'job-permissions', message: `job "${job.id}" has no permissions: block` });
    }
    if (!job.uses && !('timeout-minutes' in job.raw)) {
      findings.push({ file: workflow.file, line: job.line, rule: 'job-timeout', message: `job "${job.id}" has no timeout-minutes` });
    }
  }
  return findings;
}

/** An ssh-tunnel is torn down when its job ends: a job whose last step is the tunnel uses it nowhere. */
export function lintTunnelConsumer(workflow: WorkflowModel): Finding[] {
  const findings: Finding[] = [];
  for (const job of workflow.jobs) {
    job.steps.forEach((step, index) => {
      if (!step.uses) return;
      const ref = parseUses(step.uses);
      if (ref.kind === 'ours' && ref.action === 'ssh-tunnel' && index === job.steps.length - 1) {
        findings.push({
          file: workflow.file,
          line: step.line,
          rule: 'ssh-tunnel-unused',
          message: `${stepLabel(job, step)}: ssh-tunnel is the last step of its job; the tunnel closes with the job, so its consumer must be a later step of the same job`,
        });
      }
    });
  }
  return findings;
}

/** Secrets go in through with: or env: only (not run:, if:, names, concurrency groups, ...). */
export function lintSecretPlacement(workflow: WorkflowModel): Finding[] {
  const findings: Finding[] = [];
  for (const job of workflow.jobs) {
    const stepLines = new Map(job.steps.map((step) => [String(step.index), step.line]));
    for (const { path, value } of collectStrings(job.raw)) {
      const allowed =
        path.includes('with') || path.includes('env') || path.includes('credentials') || (path[0] === 'secrets' && job.uses !== undefined);
      if (allowed) continue;
      if (expressionsOf(path, value).some((expression) => /\bsecrets\./.test(expression))) {
        findings.push({
          file: workflow.file,
          line: path[0] === 'steps' ? stepLines.get(path[1]) : job.line,
          rule: 'secret-placement',
          message: `job "${job.id}" ${path.join('.')}: a secret is used outside with:/env:`,
        });
      }
    }
  }
  return findings;
}

/** All lint rules. */
export function lintWorkflow(workflow: WorkflowModel): Finding[] {
  return [
    ...lintRunExpressions(workflow),
    ...lintPinning(workflow),
    ...lintJobLimits(workflow),
    ...lintTunnelConsumer(workflow),
    ...lintSecretPlacement(workflow),
    ...auditWorkflow(workflow),
  ];
}

/**
 * The rules that apply to a user's repository: safety (script injection, secret placement, the audit rules, the
 * tunnel) but not this repository's style (pins with comments, permissions and timeouts on every job), which
 * `copy-workflow --check` reports separately.
 */
export function lintUserWorkflow(workflow: WorkflowModel): Finding[] {
  return [...lintRunExpressions(workflow), ...lintTunnelConsumer(workflow), ...lintSecretPlacement(workflow), ...auditWorkflow(workflow)];
}

/** Reference-workflow rule: notify-slack runs whatever happened before it (`always()` on the step or its job). */
export function lintNotifyAlways(workflow: WorkflowModel): Finding[] {
  const findings: Finding[] = [];
  for (const job of workflow.jobs) {
    for (const step of job.steps) {
      if (!step.uses) continue;
      const ref = parseUses(step.uses);
      if (ref.kind !== 'ours' || ref.action !== 'notify-slack') continue;
      const always = /\balways\(\)/.test(step.if ?? '') || /\balways\(\)/.test(job.if ?? '');
      const status = String(step.with.status ?? '');
      if (!always) {
        findings.push({
          file: workflow.file,
          line: step.line,
          rule: 'notify-always',
          message: `${stepLabel(job, step)}: notify-slack without if: always()`,
        });
      }
      if (!/job\.status|needs\.[A-Za-z0-9_-]+\.result|contains\(needs/.test(status)) {
        findings.push({
          file: workflow.file,
          line: step.line,
          rule: 'notify-status',
          message: `${stepLabel(job, step)}: notify-slack status should come from job.status or needs.<job>.result`,
        });
      }
    }
  }
  return findings;
}
