import { ghError, paginate, userJson, type FakeGitHub, type FakeIdentity, type FakeRequest, type FakeResponse } from '../server.js';
import { isoSeconds, repositoryJson } from './issues.js';

/**
 * Commit statuses, check runs and GraphQL comment minimizing (dashboard-update), as GitHub serves them:
 * JSON shapes from the REST description (status, combined-commit-status, check-run), and GitHub's limits:
 * at most 1,000 statuses per sha and context, a description of at most 140 characters (422 otherwise).
 */

export const MAX_STATUSES_PER_CONTEXT = 1_000;
export const MAX_STATUS_DESCRIPTION = 140;
const STATES = ['error', 'failure', 'pending', 'success'] as const;
type StatusState = (typeof STATES)[number];
const CHECK_STATUSES = ['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending'] as const;
const CONCLUSIONS = ['action_required', 'cancelled', 'failure', 'neutral', 'success', 'skipped', 'stale', 'timed_out'] as const;

export interface StoredStatus {
  id: number;
  repository: string;
  sha: string;
  state: StatusState;
  description: string | null;
  targetUrl: string | null;
  context: string;
  creator: Pick<FakeIdentity, 'login' | 'id' | 'type'>;
  createdAt: Date;
}

export interface StoredCheckRun {
  id: number;
  repository: string;
  headSha: string;
  name: string;
  status: (typeof CHECK_STATUSES)[number];
  conclusion: (typeof CONCLUSIONS)[number] | null;
  externalId: string;
  detailsUrl: string | null;
  startedAt: Date;
  completedAt: Date | null;
  output: { title: string | null; summary: string | null; text: string | null };
}

export interface MinimizedComment {
  nodeId: string;
  classifier: string;
  login: string;
}

/** State of the commit-status, check-run and GraphQL endpoints, inspectable by tests. */
export interface StatusesState {
  /** Every status ever created, oldest first (GitHub keeps them all; the newest per context is the current one). */
  statuses: StoredStatus[];
  checkRuns: StoredCheckRun[];
  /** Comments hidden through GraphQL `minimizeComment`, in order. */
  minimized: MinimizedComment[];
  /** The statuses of a commit, newest first (`repository` defaults to octo-org/pipeline-demo). */
  statusesOf(sha: string, repository?: string): StoredStatus[];
  /** The current (newest) status per context of a commit. */
  currentStatuses(sha: string, repository?: string): Map<string, StoredStatus>;
}

const DEFAULT_REPO = 'octo-org/pipeline-demo';
const ACTIONS_APP_ID = 15368;

export function registerStatusesRoutes(github: FakeGitHub): StatusesState {
  const statuses: StoredStatus[] = [];
  const checkRuns: StoredCheckRun[] = [];
  const minimized: MinimizedComment[] = [];
  const repoOf = (req: FakeRequest) => `${req.params.owner}/${req.params.repo}`;
  const statusesOf = (sha: string, repository = DEFAULT_REPO) =>
    statuses.filter((s) => s.repository === repository && s.sha === sha).sort((a, b) => b.id - a.id);
  const state: StatusesState = {
    statuses,
    checkRuns,
    minimized,
    statusesOf,
    currentStatuses: (sha, repository) => {
      const current = new Map<string, StoredStatus>();
      for (const s of statusesOf(sha, repository)) if (!current.has(s.context)) current.set(s.context, s);
      return current;
    },
  };

  github.route('POST', '/repos/:owner/:repo/statuses/:sha', (req) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const sha = req.params.sha;
    if (!/^[0-9a-f]{40}$/i.test(sha)) return ghError(422, `No commit found for SHA: ${sha}`);
    const invalid = (field: string, code = 'invalid') =>
      ghError(422, 'Validation Failed', { errors: [{ resource: 'Status', code, field }] });
    if (!STATES.includes(body.state as StatusState)) return invalid('state');
    const context = body.context === undefined ? 'default' : body.context;
    if (typeof context !== 'string' || context === '') return invalid('context');
    const description = body.description ?? null;
    if (description !== null && typeof description !== 'string') return invalid('description');
    if (typeof description === 'string' && [...description].length > MAX_STATUS_DESCRIPTION) {
      return ghError(422, 'Validation Failed', {
        errors: [
          { resource: 'Status', code: 'custom', field: 'description', message: 'description is too long (maximum is 140 characters)' },
        ],
      });
    }
    const targetUrl = body.target_url ?? null;
    if (targetUrl !== null && (typeof targetUrl !== 'string' || !/^https?:\/\//.test(targetUrl))) return invalid('target_url');
    const repository = repoOf(req);
    const sameContext = statuses.filter((s) => s.repository === repository && s.sha === sha && s.context === context).length;
    if (sameContext >= MAX_STATUSES_PER_CONTEXT) {
      return ghError(422, 'Validation Failed', {
        errors: [
          {
            resource: 'Status',
            code: 'custom',
            field: 'context',
            message: `This SHA and context has reached the maximum number of statuses (${MAX_STATUSES_PER_CONTEXT}).`,
          },
        ],
      });
    }
    const status: StoredStatus = {
      id: github.nextId(),
      repository,
      sha: sha.toLowerCase(),
      state: body.state as StatusState,
      description,
      targetUrl,
      context,
      creator: { login: req.identity.login, id: req.identity.id, type: req.identity.type },
      createdAt: new Date(),
    };
    statuses.push(status);
    return { status: 201, body: statusJson(status, req), headers: { location: `${req.baseUrl}/repos/${repository}/statuses/${sha}` } };
  });

  github.route('GET', '/repos/:owner/:repo/commits/:ref/statuses', (req) =>
    paginate(
      req,
      statusesOf(req.params.ref, repoOf(req)).map((s) => statusJson(s, req)),
    ),
  );

  github.route('GET', '/repos/:owner/:repo/commits/:ref/status', (req) => {
    const current = [...state.currentStatuses(req.params.ref, repoOf(req)).values()];
    const page = paginate(
      req,
      current.map((s) => simpleStatusJson(s, req)),
    );
    const combined = current.some((s) => s.state === 'error' || s.state === 'failure')
      ? 'failure'
      : current.length === 0 || current.some((s) => s.state === 'pending')
        ? 'pending'
        : 'success';
    const api = `${req.baseUrl}/repos/${repoOf(req)}`;
    return {
      ...page,
      body: {
        state: combined,
        statuses: page.body,
        sha: req.params.ref,
        total_count: current.length,
        repository: repositoryJson(req.params.owner, req.params.repo, req.baseUrl),
        commit_url: `${api}/commits/${req.params.ref}`,
        url: `${api}/commits/${req.params.ref}/status`,
      },
    };
  });

  github.route('POST', '/repos/:owner/:repo/check-runs', (req) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.name !== 'string' || body.name === '') return checkInvalid('name');
    if (typeof body.head_sha !== 'string' || !/^[0-9a-f]{40}$/i.test(body.head_sha)) return checkInvalid('head_sha');
    const run: StoredCheckRun = {
      id: github.nextId(),
      repository: repoOf(req),
      headSha: body.head_sha.toLowerCase(),
      name: body.name,
      status: 'queued',
      conclusion: null,
      externalId: '',
      detailsUrl: null,
      startedAt: new Date(),
      completedAt: null,
      output: { title: null, summary: null, text: null },
    };
    const problem = applyCheckRun(run, body);
    if (problem) return problem;
    checkRuns.push(run);
    return { status: 201, body: checkRunJson(run, req) };
  });

  github.route('PATCH', '/repos/:owner/:repo/check-runs/:check_run_id', (req) => {
    const run = checkRuns.find((r) => r.id === Number(req.params.check_run_id) && r.repository === repoOf(req));
    if (!run) return ghError(404, 'Not Found');
    const copy: StoredCheckRun = { ...run, output: { ...run.output } };
    const problem = applyCheckRun(copy, (req.body ?? {}) as Record<string, unknown>);
    if (problem) return problem;
    Object.assign(run, copy);
    return { status: 200, body: checkRunJson(run, req) };
  });

  github.route('GET', '/repos/:owner/:repo/commits/:ref/check-runs', (req) => {
    const name = req.query.get('check_name');
    const list = checkRuns
      .filter((r) => r.repository === repoOf(req) && r.headSha === req.params.ref.toLowerCase() && (!name || r.name === name))
      .sort((a, b) => b.id - a.id);
    const page = paginate(
      req,
      list.map((r) => checkRunJson(r, req)),
    );
    return { ...page, body: { total_count: list.length, check_runs: page.body } };
  });

  // GraphQL: only the mutation the dashboard uses.
  github.route(
    'POST',
    '/graphql',
    (req) => {
      const { query, variables } = (req.body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
      if (typeof query !== 'string') return { status: 400, body: { message: 'A query attribute must be specified and must be a string.' } };
      if (!/\bminimizeComment\b/.test(query)) {
        return {
          status: 200,
          body: { data: null, errors: [{ type: 'NOT_SUPPORTED', message: 'The fake GraphQL API answers minimizeComment only.' }] },
        };
      }
      const subjectId = graphqlArgument(query, 'subjectId', variables);
      const classifier = graphqlArgument(query, 'classifier', variables);
      if (typeof subjectId !== 'string' || !/^(IC|CC)_kwDO/.test(subjectId)) {
        return {
          status: 200,
          body: {
            data: { minimizeComment: null },
            errors: [
              {
                type: 'NOT_FOUND',
                path: ['minimizeComment'],
                message: `Could not resolve to a node with the global id of '${String(subjectId)}'`,
              },
            ],
          },
        };
      }
      if (typeof classifier !== 'string' || !['SPAM', 'ABUSE', 'OFF_TOPIC', 'OUTDATED', 'DUPLICATE', 'RESOLVED'].includes(classifier)) {
        return {
          status: 200,
          body: {
            errors: [
              { message: `Argument 'classifier' on InputObject 'MinimizeCommentInput' has an invalid value (${String(classifier)}).` },
            ],
          },
        };
      }
      if (req.identity.access === 'read') {
        return {
          status: 200,
          body: { data: { minimizeComment: null }, errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }] },
        };
      }
      minimized.push({ nodeId: subjectId, classifier, login: req.identity.login });
      return {
        status: 200,
        body: { data: { minimizeComment: { minimizedComment: { isMinimized: true, minimizedReason: classifier.toLowerCase() } } } },
      };
    },
    { write: false, scopes: ['issues', 'pull-requests', 'contents'] },
  );

  return state;
}

/** An argument of the mutation's input: an inline literal, a `$variable`, or a field of an `$input` variable. */
function graphqlArgument(query: string, name: string, variables: Record<string, unknown> = {}): unknown {
  const m = new RegExp(`\\b${name}\\s*:\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|\\$(\\w+)|(\\w+))`).exec(query);
  if (m?.[1] !== undefined) return JSON.parse(`"${m[1]}"`);
  if (m?.[2] !== undefined) return variables[m[2]];
  if (m?.[3] !== undefined) return m[3];
  const input = /\binput\s*:\s*\$(\w+)/.exec(query)?.[1];
  return input ? (variables[input] as Record<string, unknown> | undefined)?.[name] : undefined;
}

function checkInvalid(field: string): FakeResponse {
  return ghError(422, 'Invalid request.', { errors: [{ resource: 'CheckRun', code: 'invalid', field }] });
}

/** Applies the writable fields of a check-run create or update; a 422 response when one is invalid. */
function applyCheckRun(run: StoredCheckRun, body: Record<string, unknown>): FakeResponse | undefined {
  if (body.status !== undefined) {
    if (!CHECK_STATUSES.includes(body.status as StoredCheckRun['status'])) return checkInvalid('status');
    run.status = body.status as StoredCheckRun['status'];
  }
  if (body.conclusion !== undefined) {
    if (!CONCLUSIONS.includes(body.conclusion as NonNullable<StoredCheckRun['conclusion']>)) return checkInvalid('conclusion');
    run.conclusion = body.conclusion as StoredCheckRun['conclusion'];
    run.status = 'completed';
  }
  if (run.status === 'completed' && run.conclusion === null) return checkInvalid('conclusion');
  if (run.status !== 'completed') run.conclusion = null;
  if (typeof body.name === 'string' && body.name !== '') run.name = body.name;
  if (typeof body.external_id === 'string') run.externalId = body.external_id;
  if (typeof body.details_url === 'string') run.detailsUrl = body.details_url;
  if (typeof body.started_at === 'string') run.startedAt = new Date(body.started_at);
  if (typeof body.completed_at === 'string') run.completedAt = new Date(body.completed_at);
  if (run.status === 'completed' && !run.completedAt) run.completedAt = new Date();
  if (body.output !== undefined) {
    const output = body.output as Record<string, unknown>;
    if (typeof output !== 'object' || output === null || typeof output.title !== 'string' || typeof output.summary !== 'string') {
      return checkInvalid('output');
    }
    for (const field of ['summary', 'text'] as const) {
      const value = output[field];
      if (typeof value === 'string' && [...value].length > 65_535) {
        return ghError(422, 'Invalid request.', {
          errors: [
            {
              resource: 'CheckRun',
              code: 'custom',
              field: `output.${field}`,
              message: `output.${field} is too long (maximum is 65535 characters)`,
            },
          ],
        });
      }
    }
    run.output = { title: output.title, summary: output.summary, text: typeof output.text === 'string' ? output.text : null };
  }
  return undefined;
}

function statusJson(s: StoredStatus, req: FakeRequest): Record<string, unknown> {
  return {
    url: `${req.baseUrl}/repos/${s.repository}/statuses/${s.sha}`,
    avatar_url: `${req.baseUrl}/avatars/u/${s.creator.id}?v=4`,
    id: s.id,
    node_id: `SC_kwDO${Buffer.from(String(s.id)).toString('base64url')}`,
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: isoSeconds(s.createdAt),
    updated_at: isoSeconds(s.createdAt),
    creator: userJson(s.creator, req.baseUrl),
  };
}

function simpleStatusJson(s: StoredStatus, req: FakeRequest): Record<string, unknown> {
  const { creator: _creator, ...rest } = statusJson(s, req);
  void _creator;
  return { ...rest, required: false };
}

function checkRunJson(r: StoredCheckRun, req: FakeRequest): Record<string, unknown> {
  const api = `${req.baseUrl}/repos/${r.repository}`;
  const epoch = '2018-07-30T09:30:17Z';
  return {
    id: r.id,
    head_sha: r.headSha,
    node_id: `CR_kwDO${Buffer.from(String(r.id)).toString('base64url')}`,
    external_id: r.externalId,
    url: `${api}/check-runs/${r.id}`,
    html_url: `${req.baseUrl}/${r.repository}/runs/${r.id}`,
    details_url: r.detailsUrl ?? `${req.baseUrl}/${r.repository}/runs/${r.id}`,
    status: r.status,
    conclusion: r.conclusion,
    started_at: isoSeconds(r.startedAt),
    completed_at: r.completedAt ? isoSeconds(r.completedAt) : null,
    output: { ...r.output, annotations_count: 0, annotations_url: `${api}/check-runs/${r.id}/annotations` },
    name: r.name,
    check_suite: { id: 5000 + (r.id % 7) },
    app: {
      id: ACTIONS_APP_ID,
      slug: 'github-actions',
      node_id: 'MDM6QXBwMTUzNjg=',
      owner: userJson({ login: 'github', id: 9919, type: 'User' }, req.baseUrl),
      name: 'GitHub Actions',
      description: 'Automate your workflow from idea to production',
      external_url: 'https://help.github.com/en/actions',
      html_url: `${req.baseUrl}/apps/github-actions`,
      created_at: epoch,
      updated_at: epoch,
      permissions: { checks: 'write', metadata: 'read', statuses: 'write' },
      events: ['check_run', 'check_suite'],
    },
    pull_requests: [],
  };
}
