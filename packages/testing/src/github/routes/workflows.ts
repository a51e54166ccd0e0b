import { ghError, paginate, type FakeGitHub, type FakeRequest, type FakeResponse } from '../server.js';
import { repositoryJson } from './issues.js';
import { apiBase, htmlBase, jobsJson, repoOf, runJson, sha1, workflowJson } from './workflow-json.js';
import { createdFilter, defaultLifecycle, parseWorkflow, render } from './workflow-definitions.js';

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

const WORKFLOWS_DIR = '.github/workflows';
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

  const visible = (run: FakeWorkflowRun) => run.visibleAt <= Date.now();
  const findWorkflow = (repo: string, idOrFile: string) =>
    state.workflows.find((w) => w.repo === repo && (String(w.id) === idOrFile || w.path === `${WORKFLOWS_DIR}/${idOrFile}`));

  const workflowOf = (run: FakeWorkflowRun) => state.workflows.find((w) => w.id === run.workflowId)!;

  function moveTo(run: FakeWorkflowRun, index: number): void {
    run.stage = Math.min(index, run.stages.length - 1);
    run.updatedAt = new Date();
    if (run.stages[run.stage].status !== 'queued') run.startedAt ??= run.updatedAt;
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
    return {
      ...page,
      body: { total_count: runs.length, workflow_runs: (page.body as FakeWorkflowRun[]).map((r) => runJson(req, r, workflowOf(r))) },
    };
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
    return {
      ...page,
      body: { total_count: list.length, workflows: (page.body as FakeWorkflow[]).map((w) => workflowJson(req, w, state.defaultBranch)) },
    };
  });
  github.route('GET', '/repos/:owner/:repo/actions/workflows/:workflow_id', (req) => {
    const w = findWorkflow(repoOf(req), req.params.workflow_id);
    return w ? { status: 200, body: workflowJson(req, w, state.defaultBranch) } : ghError(404, 'Not Found');
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
    return { status: 200, body: runJson(req, run, workflowOf(run)) };
  });
  github.route('GET', '/repos/:owner/:repo/actions/runs/:run_id/jobs', (req) => {
    const run = visibleRun(req);
    if (!run) return ghError(404, 'Not Found');
    const jobs = jobsJson(req, run, workflowOf(run).name);
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
