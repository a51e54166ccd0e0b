import { ghError, paginate, userJson, type FakeGitHub, type FakeIdentity, type FakeRequest, type FakeResponse } from '../server.js';

export type DeploymentState = 'error' | 'failure' | 'inactive' | 'pending' | 'success' | 'queued' | 'in_progress';

export interface FakeDeploymentStatus {
  id: number;
  state: DeploymentState;
  description: string;
  environment: string;
  logUrl: string;
  environmentUrl: string;
  creator: Pick<FakeIdentity, 'login' | 'id' | 'type'>;
  createdAt: string;
}

/** One deployment as the fake stores it. */
export interface FakeDeployment {
  id: number;
  /** `owner/name`. */
  repository: string;
  sha: string;
  ref: string;
  task: string;
  payload: Record<string, unknown> | string;
  environment: string;
  description: string | null;
  transient: boolean;
  production: boolean;
  creator: Pick<FakeIdentity, 'login' | 'id' | 'type'>;
  createdAt: string;
  /** Newest last. */
  statuses: FakeDeploymentStatus[];
}

/** State of the deployments endpoints, inspectable by tests. */
export interface DeploymentsState {
  deployments: FakeDeployment[];
  /** Deployments of one repository (and environment), newest first, as the API lists them. */
  list(repository: string, environment?: string): FakeDeployment[];
  /** Clock for created_at; tests may replace it. */
  now: () => Date;
}

const STATES: DeploymentState[] = ['error', 'failure', 'inactive', 'pending', 'success', 'queued', 'in_progress'];

/**
 * Deployments and deployment statuses as GitHub's REST API serves them: newest first, filters
 * sha, ref, task and environment, page-based pagination, `auto_inactive` on a success status.
 * The ref must be a 40-hex sha or a branch/tag name; the fake does not resolve names to commits.
 */
export function registerDeploymentsRoutes(github: FakeGitHub): DeploymentsState {
  const state: DeploymentsState = {
    deployments: [],
    now: () => new Date(),
    list(repository, environment) {
      return state.deployments
        .filter((d) => d.repository === repository && (environment === undefined || d.environment === environment))
        .sort((a, b) => b.id - a.id);
    },
  };
  const repoName = (req: FakeRequest) => `${req.params.owner}/${req.params.repo}`;
  const api = (req: FakeRequest) => `${req.baseUrl}/repos/${repoName(req)}`;
  const body = (req: FakeRequest) => (req.body ?? {}) as Record<string, unknown>;
  const who = (req: FakeRequest) => ({ login: req.identity.login, id: req.identity.id, type: req.identity.type });

  const deploymentJson = (req: FakeRequest, d: FakeDeployment) => ({
    url: `${api(req)}/deployments/${d.id}`,
    id: d.id,
    node_id: `DE_${Buffer.from(String(d.id)).toString('base64url')}`,
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: userJson(d.creator, req.baseUrl),
    created_at: d.createdAt,
    updated_at: d.statuses.at(-1)?.createdAt ?? d.createdAt,
    statuses_url: `${api(req)}/deployments/${d.id}/statuses`,
    repository_url: api(req),
    transient_environment: d.transient,
    production_environment: d.production,
    performed_via_github_app: null,
  });
  const statusJson = (req: FakeRequest, d: FakeDeployment, s: FakeDeploymentStatus) => ({
    url: `${api(req)}/deployments/${d.id}/statuses/${s.id}`,
    id: s.id,
    node_id: `DES_${Buffer.from(String(s.id)).toString('base64url')}`,
    state: s.state,
    creator: userJson(s.creator, req.baseUrl),
    description: s.description,
    environment: s.environment,
    target_url: s.logUrl,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: `${api(req)}/deployments/${d.id}`,
    repository_url: api(req),
    // GitHub answers "" for these when unset; the OpenAPI description types them as URIs, so unset ones are left out.
    ...(s.environmentUrl ? { environment_url: s.environmentUrl } : {}),
    ...(s.logUrl ? { log_url: s.logUrl } : {}),
    performed_via_github_app: null,
  });
  const find = (req: FakeRequest) =>
    state.deployments.find((d) => String(d.id) === req.params.deployment_id && d.repository === repoName(req));
  const invalid = (field: string, message: string): FakeResponse =>
    ghError(422, 'Validation Failed', { errors: [{ resource: 'Deployment', field, code: 'invalid', message }] });

  github.route('POST', '/repos/:owner/:repo/deployments', (req) => {
    const b = body(req);
    if (typeof b.ref !== 'string' || b.ref === '') return ghError(422, 'Invalid request.\n\n"ref" wasn\'t supplied.');
    const payload = b.payload ?? '';
    if (typeof payload !== 'string' && (typeof payload !== 'object' || payload === null || Array.isArray(payload)))
      return invalid('payload', 'payload must be an object or a JSON string');
    const environment = typeof b.environment === 'string' ? b.environment : 'production';
    const d: FakeDeployment = {
      id: github.nextId(),
      repository: repoName(req),
      // The fake does not resolve branch or tag names: pass a commit sha as promote-artifact does.
      sha: b.ref,
      ref: b.ref,
      task: typeof b.task === 'string' ? b.task : 'deploy',
      payload: payload as FakeDeployment['payload'],
      environment,
      description: typeof b.description === 'string' ? b.description : '',
      transient: b.transient_environment === true,
      production: typeof b.production_environment === 'boolean' ? b.production_environment : environment === 'production',
      creator: who(req),
      createdAt: state.now().toISOString(),
      statuses: [],
    };
    state.deployments.push(d);
    return { status: 201, body: deploymentJson(req, d) };
  });

  github.route('GET', '/repos/:owner/:repo/deployments', (req) => {
    const q = req.query;
    const items = state
      .list(repoName(req))
      .filter(
        (d) =>
          (!q.get('environment') || d.environment === q.get('environment')) &&
          (!q.get('sha') || d.sha === q.get('sha')) &&
          (!q.get('ref') || d.ref === q.get('ref')) &&
          (!q.get('task') || d.task === q.get('task')),
      );
    return paginate(
      req,
      items.map((d) => deploymentJson(req, d)),
    );
  });

  github.route('GET', '/repos/:owner/:repo/deployments/:deployment_id', (req) => {
    const d = find(req);
    return d ? { status: 200, body: deploymentJson(req, d) } : ghError(404, 'Not Found');
  });

  github.route('POST', '/repos/:owner/:repo/deployments/:deployment_id/statuses', (req) => {
    const d = find(req);
    if (!d) return ghError(404, 'Not Found');
    const b = body(req);
    if (typeof b.state !== 'string' || !STATES.includes(b.state as DeploymentState)) {
      return ghError(422, 'Validation Failed', { errors: [{ resource: 'DeploymentStatus', field: 'state', code: 'invalid' }] });
    }
    const description = typeof b.description === 'string' ? b.description : '';
    if (description.length > 140) {
      return ghError(422, 'Validation Failed', {
        errors: [
          {
            resource: 'DeploymentStatus',
            field: 'description',
            code: 'custom',
            message: 'description is too long (maximum is 140 characters)',
          },
        ],
      });
    }
    const logUrl = typeof b.log_url === 'string' ? b.log_url : typeof b.target_url === 'string' ? b.target_url : '';
    const s: FakeDeploymentStatus = {
      id: github.nextId(),
      state: b.state as DeploymentState,
      description,
      environment: typeof b.environment === 'string' ? b.environment : d.environment,
      logUrl,
      environmentUrl: typeof b.environment_url === 'string' ? b.environment_url : '',
      creator: who(req),
      createdAt: state.now().toISOString(),
    };
    if (s.environment !== d.environment) d.environment = s.environment;
    d.statuses.push(s);
    // GitHub marks earlier non-transient, non-production deployments of the environment inactive.
    if (s.state === 'success' && b.auto_inactive !== false) {
      for (const other of state.list(d.repository, d.environment)) {
        if (other.id >= d.id || other.transient || other.production) continue;
        const last = other.statuses.at(-1);
        if (last && last.state === 'success')
          other.statuses.push({ ...last, id: github.nextId(), state: 'inactive', description: '', createdAt: s.createdAt });
      }
    }
    return { status: 201, body: statusJson(req, d, s) };
  });

  github.route('GET', '/repos/:owner/:repo/deployments/:deployment_id/statuses', (req) => {
    const d = find(req);
    if (!d) return ghError(404, 'Not Found');
    return paginate(
      req,
      [...d.statuses].reverse().map((s) => statusJson(req, d, s)),
    );
  });

  return state;
}
