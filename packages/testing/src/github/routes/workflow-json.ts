// The JSON of workflows, runs and jobs as GitHub's REST API writes them (checked against its OpenAPI description).
import { createHash } from 'node:crypto';
import { userJson, type FakeRequest } from '../server.js';
import { isoSeconds, repositoryJson } from './issues.js';
import type { FakeWorkflow, FakeWorkflowRun, RunStatus } from './workflows.js';

export const repoOf = (req: FakeRequest) => `${req.params.owner}/${req.params.repo}`;
export const htmlBase = (req: FakeRequest) => `${req.baseUrl}/${repoOf(req)}`;
export const apiBase = (req: FakeRequest) => `${req.baseUrl}/repos/${repoOf(req)}`;
export const sha1 = (...parts: string[]) => createHash('sha1').update(parts.join('\0')).digest('hex');

export const workflowJson = (req: FakeRequest, w: FakeWorkflow, defaultBranch: string) => ({
  id: w.id,
  node_id: `W_${Buffer.from(String(w.id)).toString('base64url')}`,
  name: w.name,
  path: w.path,
  state: 'active',
  created_at: isoSeconds(w.createdAt),
  updated_at: isoSeconds(w.createdAt),
  url: `${apiBase(req)}/actions/workflows/${w.id}`,
  html_url: `${htmlBase(req)}/blob/${defaultBranch}/${w.path}`,
  badge_url: `${htmlBase(req)}/workflows/${encodeURIComponent(w.name)}/badge.svg`,
});

export function runJson(req: FakeRequest, run: FakeWorkflowRun, w: FakeWorkflow): Record<string, unknown> {
  const stage = run.stages[run.stage];
  const api = `${apiBase(req)}/actions/runs/${run.id}`;
  const [owner, name] = run.repo.split('/');
  const repository = repositoryJson(owner, name, req.baseUrl);
  const actor = userJson({ login: run.actor, id: 583231, type: 'User' }, req.baseUrl);
  const person = { name: 'Octo Cat', email: 'octocat@example.com' };
  return {
    id: run.id,
    name: w.name,
    node_id: `WFR_${Buffer.from(String(run.id)).toString('base64url')}`,
    check_suite_id: run.id + 1,
    check_suite_node_id: `CS_${run.id + 1}`,
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: w.path,
    display_title: run.displayTitle,
    run_number: run.runNumber,
    run_attempt: 1,
    event: run.event,
    status: stage.status,
    conclusion: stage.status === 'completed' ? stage.conclusion : null,
    workflow_id: w.id,
    url: api,
    html_url: `${htmlBase(req)}/actions/runs/${run.id}`,
    pull_requests: [],
    referenced_workflows: [],
    created_at: isoSeconds(run.createdAt),
    updated_at: isoSeconds(run.updatedAt),
    run_started_at: isoSeconds(run.startedAt ?? run.createdAt),
    actor,
    triggering_actor: actor,
    jobs_url: `${api}/jobs`,
    logs_url: `${api}/logs`,
    check_suite_url: `${apiBase(req)}/check-suites/${run.id + 1}`,
    artifacts_url: `${api}/artifacts`,
    cancel_url: `${api}/cancel`,
    rerun_url: `${api}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${apiBase(req)}/actions/workflows/${w.id}`,
    head_commit: {
      id: run.headSha,
      tree_id: sha1('tree', run.headSha),
      message: 'Commit on the dispatched ref',
      timestamp: isoSeconds(run.createdAt),
      author: person,
      committer: person,
    },
    repository,
    head_repository: repository,
  };
}

/** Job and step states at the run's current stage: jobs before the current one succeeded, later ones wait or are skipped. */
export function jobsJson(req: FakeRequest, run: FakeWorkflowRun, workflowName: string | null): Record<string, unknown>[] {
  const stage = run.stages[run.stage];
  const stamp = isoSeconds(run.updatedAt);
  const started = isoSeconds(run.startedAt ?? run.createdAt);
  const at =
    stage.status === 'queued'
      ? -1
      : Math.max(
          0,
          run.jobs.findIndex((j) => j.name === stage.job),
        );
  const focusJob =
    stage.status === 'completed' && !stage.job ? (stage.conclusion === 'success' ? run.jobs.length : run.jobs.length - 1) : at;
  return run.jobs.map((job, i) => {
    let status: RunStatus = 'queued';
    let conclusion: string | null = null;
    let stepAt = -1;
    let stepConclusion: string | null = null;
    if (stage.status === 'in_progress') {
      if (i < at) [status, conclusion, stepAt] = ['completed', 'success', job.steps.length];
      else if (i === at) [status, stepAt] = ['in_progress', Math.max(0, job.steps.indexOf(stage.step ?? ''))];
    } else if (stage.status === 'completed') {
      status = 'completed';
      if (i < focusJob || stage.conclusion === 'success') [conclusion, stepAt] = ['success', job.steps.length];
      else if (i === focusJob) {
        conclusion = stage.conclusion;
        stepAt = Math.max(0, stage.step ? job.steps.indexOf(stage.step) : job.steps.length - 1);
        stepConclusion = stage.conclusion;
      } else conclusion = 'skipped';
    }
    const steps =
      status === 'queued'
        ? []
        : job.steps.map((name, n) => {
            const done = n < stepAt || (n === stepAt && stepConclusion !== null);
            const current = n === stepAt && status === 'in_progress';
            const skipped = status === 'completed' && n > stepAt;
            return {
              name,
              number: n + 1,
              status: done || skipped ? 'completed' : current ? 'in_progress' : 'queued',
              conclusion: done ? (n === stepAt ? stepConclusion : 'success') : skipped ? 'skipped' : null,
              started_at: done || current ? started : null,
              completed_at: done || skipped ? stamp : null,
            };
          });
    return {
      id: job.id,
      run_id: run.id,
      run_url: `${apiBase(req)}/actions/runs/${run.id}`,
      run_attempt: 1,
      node_id: `CR_${Buffer.from(String(job.id)).toString('base64url')}`,
      head_sha: run.headSha,
      url: `${apiBase(req)}/actions/jobs/${job.id}`,
      html_url: `${htmlBase(req)}/actions/runs/${run.id}/job/${job.id}`,
      status,
      conclusion,
      created_at: isoSeconds(run.createdAt),
      started_at: status === 'queued' ? isoSeconds(run.createdAt) : started,
      completed_at: status === 'completed' ? stamp : null,
      name: job.name,
      steps,
      check_run_url: `${apiBase(req)}/check-runs/${job.id}`,
      labels: ['ubuntu-latest'],
      runner_id: status === 'queued' ? null : 1,
      runner_name: status === 'queued' ? null : 'GitHub Actions 1',
      runner_group_id: status === 'queued' ? null : 1,
      runner_group_name: status === 'queued' ? null : 'GitHub Actions',
      workflow_name: workflowName,
      head_branch: run.headBranch,
    };
  });
}
