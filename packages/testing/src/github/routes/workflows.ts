import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { ghError, paginate, userJson, type FakeGitHub, type FakeRequest, type FakeResponse } from '../server.js';
import { isoSeconds, repositoryJson } from './issues.js';

export type RunStatus = 'queued' | 'in_progress' | 'completed';
export type RunConclusion = 'success' | 'failure' | 'cancelled' | 'skipped' | 'timed_out' | 'neutral';

/** One point of a run's life. `job`/`step` name where it is (in_progress) or which job ended it (failure, cancelled). */
export type RunStage =
  | { status: 'queued' }
  | { status: 'in_progress'; job?: string; step?: string }
  | { status: 'completed'; conclusion: RunConclusion; job?: string; step?: string };

export interface FakeWorkflow {
  id: number;
  repo: string;
  path: string;
  name: string;
  createdAt: Date;
  /** The stages every run of this workflow goes through, one per read of the run (GET .../runs/{id}). */
  lifecycle?: RunStage[];
}

export interface FakeJob {
  id: number;
  name: string;
  steps: string[];
}

export interface FakeWorkflowRun {
  id: number;
  repo: string;
  workflowId: number;
  runNumber: number;
  displayTitle: string;
  headBranch: string;
  headSha: string;
  event: string;
  actor: string;
  inputs: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
  startedAt?: Date;
  /** GitHub Enterprise Server lists a dispatched run only after a while: hidden until then. */
  visibleAt: number;
  jobs: FakeJob[];
  stages: RunStage[];
  /** Index of the current stage; moves on at each read of the run after the first while `advanceOnRead` is on. */
  stage: number;
  /** Whether the run was read: the next read moves it on (so jobs read between two reads show the stage last read). */
  read: boolean;
}

export interface DispatchRecord {
  repo: string;
  workflowId: number;
  body: unknown;
  status: number;
}

/** Workflows, workflow_dispatch, runs and jobs, and the repository contents that hold the workflow files. */
export interface WorkflowsState {
  /** 'github.com' answers `return_run_details`; 'ghes-3.20' rejects the key (GitHub Enterprise Server 3.20 and older). */
  mode: 'github.com' | 'ghes-3.20';
  /** The status GHES answers for the unknown key: 400 or 422. */
  ghesRejectStatus: 400 | 422;
  /** In 'ghes-3.20' mode: milliseconds before a dispatched run shows up in the API. */
  runDelayMs: number;
  /** Each GET of a run after the first shows its next stage (a scripted lifecycle without timing). */
  advanceOnRead: boolean;
  workflows: FakeWorkflow[];
  runs: FakeWorkflowRun[];
  dispatches: DispatchRecord[];
  /** Files per repository (`owner/name`) and ref (branch or tag name): path -> content. */
  files: Map<string, Map<string, Map<string, string>>>;
  defaultBranch: string;
  /** Writes a file on a ref (creating the ref). */
  setFile(repo: string, ref: string, path: string, content: string): void;
  /** Registers `.github/workflows/<file>` with this YAML on the given refs (default: the default branch). */
  addWorkflow(repo: string, file: string, yaml: string, options?: { refs?: string[]; lifecycle?: RunStage[] }): FakeWorkflow;
  /** Moves a run to a stage now (tests driving a run by hand). */
  setStage(runId: number, stage: RunStage): void;
  run(runId: number): FakeWorkflowRun | undefined;
}

/** What the fake reads from a workflow file. */
interface ParsedWorkflow {
  name?: string;
  runName?: string;
  dispatch: boolean;
  inputs: Record<string, { type?: string; required?: boolean; default?: unknown; options?: string[] }>;
  jobs: { name: string; steps: string[] }[];
}

function parseWorkflow(yaml: string): ParsedWorkflow {
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
function render(template: string, context: { inputs: Record<string, string>; refName: string; actor: string }): string {
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
function defaultLifecycle(jobs: FakeJob[]): RunStage[] {
  return [
    { status: 'queued' },
    { status: 'queued' },
    ...jobs.flatMap((job) => job.steps.map((step): RunStage => ({ status: 'in_progress', job: job.name, step }))),
    { status: 'completed', conclusion: 'success' },
  ];
}

const WORKFLOWS_DIR = '.github/workflows';
const sha1 = (...parts: string[]) => createHash('sha1').update(parts.join('\0')).digest('hex');
const refName = (ref: string) => ref.replace(/^refs\/(heads|tags)\//, '');

export function registerWorkflowsRoutes(github: FakeGitHub): WorkflowsState {
  const runNumbers = new Map<number, number>();
  const state: WorkflowsState = {
    mode: 'github.com',
    ghesRejectStatus: 422,
    runDelayMs: 0,
    advanceOnRead: true,
    workflows: [],
    runs: [],
    dispatches: [],
    files: new Map(),
    defaultBranch: 'main',
    setFile(repo, ref, path, content) {
      let refs = state.files.get(repo);
      if (!refs) state.files.set(repo, (refs = new Map()));
      let files = refs.get(ref);
      if (!files) refs.set(ref, (files = new Map()));
      files.set(path, content);
    },
    addWorkflow(repo, file, yaml, options = {}) {
      const path = `${WORKFLOWS_DIR}/${file}`;
      for (const ref of options.refs ?? [state.defaultBranch]) state.setFile(repo, ref, path, yaml);
      let workflow = state.workflows.find((w) => w.repo === repo && w.path === path);
      if (!workflow) {
        workflow = { id: github.nextId(), repo, path, name: parseWorkflow(yaml).name ?? path, createdAt: new Date() };
        state.workflows.push(workflow);
      }
      workflow.lifecycle = options.lifecycle;
      return workflow;
    },
    setStage(runId, stage) {
      const run = state.run(runId);
      if (!run) throw new Error(`no run ${runId}`);
      run.stages = [...run.stages.slice(0, run.stage + 1), stage];
      moveTo(run, run.stage + 1);
    },
    run: (runId) => state.runs.find((r) => r.id === runId),
  };

  const repoOf = (req: FakeRequest) => `${req.params.owner}/${req.params.repo}`;
  const htmlBase = (req: FakeRequest) => `${req.baseUrl}/${repoOf(req)}`;
  const apiBase = (req: FakeRequest) => `${req.baseUrl}/repos/${repoOf(req)}`;
  const visible = (run: FakeWorkflowRun) => run.visibleAt <= Date.now();
  const findWorkflow = (repo: string, idOrFile: string) =>
    state.workflows.find((w) => w.repo === repo && (String(w.id) === idOrFile || w.path === `${WORKFLOWS_DIR}/${idOrFile}`));

  function moveTo(run: FakeWorkflowRun, index: number): void {
    run.stage = Math.min(index, run.stages.length - 1);
    run.updatedAt = new Date();
    if (run.stages[run.stage].status !== 'queued') run.startedAt ??= run.updatedAt;
  }

  const workflowJson = (req: FakeRequest, w: FakeWorkflow) => ({
    id: w.id,
    node_id: `W_${Buffer.from(String(w.id)).toString('base64url')}`,
    name: w.name,
    path: w.path,
    state: 'active',
    created_at: isoSeconds(w.createdAt),
    updated_at: isoSeconds(w.createdAt),
    url: `${apiBase(req)}/actions/workflows/${w.id}`,
    html_url: `${htmlBase(req)}/blob/${state.defaultBranch}/${w.path}`,
    badge_url: `${htmlBase(req)}/workflows/${encodeURIComponent(w.name)}/badge.svg`,
  });

  function runJson(req: FakeRequest, run: FakeWorkflowRun): Record<string, unknown> {
    const w = state.workflows.find((x) => x.id === run.workflowId)!;
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
  function jobsJson(req: FakeRequest, run: FakeWorkflowRun): Record<string, unknown>[] {
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
        workflow_name: state.workflows.find((w) => w.id === run.workflowId)?.name ?? null,
        head_branch: run.headBranch,
      };
    });
  }

  function dispatch(req: FakeRequest): FakeResponse {
    const repo = repoOf(req);
    const workflow = findWorkflow(repo, req.params.workflow_id);
    const record = (response: FakeResponse) => {
      state.dispatches.push({ repo, workflowId: workflow?.id ?? 0, body: req.body, status: response.status });
      return response;
    };
    if (!workflow) return record(ghError(404, 'Not Found'));
    const body = (req.body ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(body)) {
      const permitted = ['ref', 'inputs', ...(state.mode === 'github.com' ? ['return_run_details'] : [])];
      if (!permitted.includes(key)) {
        const status = state.mode === 'ghes-3.20' ? state.ghesRejectStatus : 422;
        return record(ghError(status, `Invalid request.\n\n"${key}" is not a permitted key.`));
      }
    }
    if (typeof body.ref !== 'string') return record(ghError(422, 'Invalid request.\n\n"ref" wasn\'t supplied.'));
    const ref = refName(body.ref);
    const files = state.files.get(repo)?.get(ref);
    if (!files) return record(ghError(422, `No ref found for: ${body.ref}`));
    const yaml = files.get(workflow.path);
    if (yaml === undefined) return record(ghError(404, 'Not Found'));
    const parsed = parseWorkflow(yaml);
    if (!parsed.dispatch) return record(ghError(422, "Workflow does not have 'workflow_dispatch' trigger"));
    const given = (body.inputs ?? {}) as Record<string, unknown>;
    const unexpected = Object.keys(given).filter((k) => !(k in parsed.inputs));
    if (unexpected.length > 0) return record(ghError(422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`));
    const inputs: Record<string, string> = {};
    for (const [key, spec] of Object.entries(parsed.inputs)) {
      const value = given[key] ?? spec?.default;
      if (value === undefined) {
        if (spec?.required) return record(ghError(422, `Required input '${key}' not provided`));
        continue;
      }
      if (spec?.type === 'choice' && !(spec.options ?? []).map(String).includes(String(value)))
        return record(ghError(422, `Provided value '${String(value)}' for input '${key}' not in the list of allowed values`));
      inputs[key] = String(value);
    }

    const now = new Date();
    const number = (runNumbers.get(workflow.id) ?? 0) + 1;
    runNumbers.set(workflow.id, number);
    const context = { inputs, refName: ref, actor: req.identity.login };
    const jobs = parsed.jobs.map((j) => ({
      id: github.nextId(),
      name: render(j.name, context),
      steps: ['Set up job', ...j.steps.map((s) => render(s, context)), 'Complete job'],
    }));
    const run: FakeWorkflowRun = {
      id: github.nextId(),
      repo,
      workflowId: workflow.id,
      runNumber: number,
      displayTitle: parsed.runName ? render(parsed.runName, context) : workflow.name,
      headBranch: ref,
      headSha: sha1('head', repo, ref),
      event: 'workflow_dispatch',
      actor: req.identity.login,
      inputs,
      createdAt: now,
      updatedAt: now,
      visibleAt: now.getTime() + (state.mode === 'ghes-3.20' ? state.runDelayMs : 0),
      jobs,
      stages: workflow.lifecycle ?? defaultLifecycle(jobs),
      stage: 0,
      read: false,
    };
    state.runs.push(run);
    if (body.return_run_details !== true) return record({ status: 204 });
    return record({
      status: 200,
      body: {
        workflow_run_id: run.id,
        run_url: `${apiBase(req)}/actions/runs/${run.id}`,
        html_url: `${htmlBase(req)}/actions/runs/${run.id}`,
      },
    });
  }

  function listRuns(req: FakeRequest, workflowId?: number): FakeResponse {
    const q = req.query;
    const created = q.get('created') ? createdFilter(q.get('created')!) : () => true;
    const runs = state.runs
      .filter((r) => r.repo === repoOf(req) && visible(r) && (workflowId === undefined || r.workflowId === workflowId))
      .filter((r) => !q.get('branch') || r.headBranch === q.get('branch'))
      .filter((r) => !q.get('event') || r.event === q.get('event'))
      .filter((r) => !q.get('actor') || r.actor === q.get('actor'))
      .filter((r) => !q.get('head_sha') || r.headSha === q.get('head_sha'))
      .filter((r) => {
        const s = q.get('status');
        const stage = r.stages[r.stage];
        return !s || stage.status === s || (stage.status === 'completed' && stage.conclusion === s);
      })
      .filter((r) => created(r.createdAt))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
    const page = paginate(req, runs);
    return { ...page, body: { total_count: runs.length, workflow_runs: (page.body as FakeWorkflowRun[]).map((r) => runJson(req, r)) } };
  }

  const visibleRun = (req: FakeRequest) => {
    const run = state.run(Number(req.params.run_id));
    return run && run.repo === repoOf(req) && visible(run) ? run : undefined;
  };

  github.route('GET', '/repos/:owner/:repo', (req) => ({
    status: 200,
    body: {
      ...repositoryJson(req.params.owner, req.params.repo, req.baseUrl),
      default_branch: state.defaultBranch,
      network_count: 0,
      subscribers_count: 0,
    },
  }));
  github.route('GET', '/repos/:owner/:repo/actions/workflows', (req) => {
    const list = state.workflows.filter((w) => w.repo === repoOf(req));
    const page = paginate(req, list);
    return { ...page, body: { total_count: list.length, workflows: (page.body as FakeWorkflow[]).map((w) => workflowJson(req, w)) } };
  });
  github.route('GET', '/repos/:owner/:repo/actions/workflows/:workflow_id', (req) => {
    const w = findWorkflow(repoOf(req), req.params.workflow_id);
    return w ? { status: 200, body: workflowJson(req, w) } : ghError(404, 'Not Found');
  });
  github.route('POST', '/repos/:owner/:repo/actions/workflows/:workflow_id/dispatches', dispatch);
  github.route('GET', '/repos/:owner/:repo/actions/workflows/:workflow_id/runs', (req) => {
    const w = findWorkflow(repoOf(req), req.params.workflow_id);
    return w ? listRuns(req, w.id) : ghError(404, 'Not Found');
  });
  github.route('GET', '/repos/:owner/:repo/actions/runs', (req) => listRuns(req));
  github.route('GET', '/repos/:owner/:repo/actions/runs/:run_id', (req) => {
    const run = visibleRun(req);
    if (!run) return ghError(404, 'Not Found');
    if (state.advanceOnRead && run.read && run.stage < run.stages.length - 1) moveTo(run, run.stage + 1);
    run.read = true;
    return { status: 200, body: runJson(req, run) };
  });
  github.route('GET', '/repos/:owner/:repo/actions/runs/:run_id/jobs', (req) => {
    const run = visibleRun(req);
    if (!run) return ghError(404, 'Not Found');
    const jobs = jobsJson(req, run);
    const page = paginate(req, jobs);
    return { ...page, body: { total_count: jobs.length, jobs: page.body } };
  });
  github.route('GET', '/repos/:owner/:repo/contents/:path*', (req) => contents(req));

  function contents(req: FakeRequest): FakeResponse {
    const ref = refName(req.query.get('ref') ?? state.defaultBranch);
    const files = state.files.get(repoOf(req))?.get(ref);
    if (!files) return ghError(404, `No commit found for the ref ${ref}`);
    const path = req.params.path.replace(/^\/+|\/+$/g, '');
    const entry = (p: string, type: 'file' | 'dir') => {
      const content = files.get(p) ?? '';
      const sha = sha1(type, p, content);
      const url = `${apiBase(req)}/contents/${p}?ref=${encodeURIComponent(ref)}`;
      const html = `${htmlBase(req)}/${type === 'file' ? 'blob' : 'tree'}/${ref}/${p}`;
      const git = `${apiBase(req)}/git/${type === 'file' ? 'blobs' : 'trees'}/${sha}`;
      return {
        type,
        size: type === 'file' ? Buffer.byteLength(content) : 0,
        name: p.split('/').at(-1)!,
        path: p,
        sha,
        url,
        git_url: git,
        html_url: html,
        download_url: type === 'file' ? `${req.baseUrl}/raw/${repoOf(req)}/${ref}/${p}` : null,
        _links: { self: url, git, html },
      };
    };
    const content = files.get(path);
    if (content !== undefined) {
      return {
        status: 200,
        body: {
          ...entry(path, 'file'),
          content: Buffer.from(content)
            .toString('base64')
            .replace(/(.{60})/g, '$1\n'),
          encoding: 'base64',
        },
      };
    }
    const prefix = path === '' ? '' : `${path}/`;
    const children = new Map<string, 'file' | 'dir'>();
    for (const p of files.keys()) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length).split('/');
      children.set(prefix + rest[0], rest.length > 1 ? 'dir' : 'file');
    }
    if (children.size === 0) return ghError(404, 'Not Found');
    return { status: 200, body: [...children].sort(([a], [b]) => a.localeCompare(b)).map(([p, type]) => entry(p, type)) };
  }

  return state;
}

/** GitHub's `created` search qualifier: `>=T`, `>T`, `<=T`, `<T`, `A..B` or a date. */
function createdFilter(value: string): (date: Date) => boolean {
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
