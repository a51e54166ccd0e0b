import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A token the fake knows: who it is and whether it may write. */
export interface FakeIdentity {
  login: string;
  id: number;
  type: 'User' | 'Bot';
  /** 'read' models a fork PR's GITHUB_TOKEN: every write answers 403. */
  access: 'write' | 'read';
  /** An installation token (GITHUB_TOKEN) cannot call GET /user, as on GitHub. */
  installation?: boolean;
  /**
   * A job's `permissions:` (GITHUB_TOKEN scopes). When set, each route's scope is checked as GitHub
   * does: a read needs `read` or `write` on one of the route's scopes, a write needs `write`.
   * `metadata` is always readable. Unset: only `access` applies.
   */
  permissions?: Partial<Record<PermissionScope, 'read' | 'write' | 'none'>>;
}

export type PermissionScope =
  | 'actions'
  | 'attestations'
  | 'checks'
  | 'contents'
  | 'deployments'
  | 'discussions'
  | 'id-token'
  | 'issues'
  | 'metadata'
  | 'packages'
  | 'pages'
  | 'pull-requests'
  | 'security-events'
  | 'statuses';

/** The GITHUB_TOKEN scopes that can grant a REST path (any one of them), from GitHub's permission tables. */
export function scopesOfPath(path: string): PermissionScope[] {
  if (/\/actions\//.test(path)) return ['actions'];
  // Deployment statuses (/deployments/{id}/statuses) are a deployments permission, not a commit-statuses one.
  if (/\/deployments(\/|$)/.test(path)) return ['deployments'];
  if (/\/(statuses|status)(\/|$)/.test(path)) return ['statuses'];
  if (/\/check-(runs|suites)(\/|$)/.test(path)) return ['checks'];
  if (/\/environments(\/|$)/.test(path)) return ['actions', 'deployments'];
  if (/\/collaborators\//.test(path)) return ['metadata'];
  if (/\/issues\//.test(path)) return ['issues', 'pull-requests'];
  if (/\/pulls(\/|$)/.test(path)) return ['pull-requests'];
  if (/^\/repos\/[^/]+\/[^/]+(\/.*)?$/.test(path)) return ['contents'];
  return ['metadata'];
}

/** Whether a token with these permissions may make this request. */
export function permits(permissions: NonNullable<FakeIdentity['permissions']>, scopes: PermissionScope[], write: boolean): boolean {
  return scopes.some((scope) => {
    if (scope === 'metadata' && !write) return true;
    const level = permissions[scope] ?? 'none';
    return write ? level === 'write' : level === 'read' || level === 'write';
  });
}

export interface FakeRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  rawBody: Buffer;
  headers: IncomingMessage['headers'];
  identity: FakeIdentity;
  baseUrl: string;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw bytes instead of JSON (zip downloads, blobs). */
  raw?: Buffer;
}

export type Handler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export interface Fault {
  method?: string;
  /** Matched against the request path (without query). */
  path?: RegExp;
  /** How many matching requests it hits; default 1. */
  times?: number;
  kind: 'status' | 'secondary-rate-limit' | 'primary-rate-limit' | 'reset';
  status?: number;
  message?: string;
  retryAfterSeconds?: number;
}

/**
 * A request held before it is handled (it lands when the test releases it), to model a write
 * stalled in flight for any time without real sleeps. `reached` resolves when a request is held.
 */
export interface Hold {
  method?: string;
  path?: RegExp;
  /** How many matching requests it holds; default 1. */
  times?: number;
  readonly reached: Promise<void>;
  release(): void;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  login: string;
  at: number;
}

export const DOCS_URL = 'https://docs.github.com/rest';

export function ghError(status: number, message: string, extra: Record<string, unknown> = {}): FakeResponse {
  return { status, body: { message, documentation_url: DOCS_URL, status: String(status), ...extra } };
}

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
  write: boolean;
  scopes?: PermissionScope[];
}

/**
 * An in-memory GitHub REST API on loopback with GitHub's behaviours: Link pagination,
 * `per_page` limits, `{message, documentation_url}` error bodies, 401/403/404/422,
 * primary and secondary rate limits with Retry-After, and injectable latency and faults.
 * Route modules (routes/*.ts) add endpoints and their state.
 */
export class FakeGitHub {
  readonly identities = new Map<string, FakeIdentity>();
  readonly requests: RecordedRequest[] = [];
  readonly faults: Fault[] = [];
  readonly holds: (Hold & { gate: Promise<void>; arrive(): void })[] = [];
  latency = { minMs: 0, maxMs: 0 };
  /** When true, every JSON response is kept in `responses` (for the OpenAPI conformance test). */
  recordResponses = false;
  readonly responses: { method: string; path: string; status: number; body: unknown }[] = [];
  private readonly routes: Route[] = [];
  private server?: Server;
  private nextIdValue = 1000;
  url = '';

  constructor() {
    this.addIdentity('ghs_writetoken', { login: 'github-actions[bot]', id: 41898282, type: 'Bot', access: 'write', installation: true });
    this.addIdentity('ghs_readonlytoken', { login: 'github-actions[bot]', id: 41898282, type: 'Bot', access: 'read', installation: true });
    this.addIdentity('ghp_usertoken', { login: 'octocat', id: 583231, type: 'User', access: 'write' });
    this.route('GET', '/user', (req) =>
      req.identity.installation
        ? ghError(403, 'Resource not accessible by integration')
        : { status: 200, body: publicUserJson(req.identity, req.baseUrl) },
    );
    this.route('GET', '/rate_limit', () => ({
      status: 200,
      body: {
        resources: { core: { limit: 5000, remaining: 4999, reset: 0, used: 1 } },
        rate: { limit: 5000, remaining: 4999, reset: 0, used: 1 },
      },
    }));
  }

  /** A token the server accepts. The write token is `ghs_writetoken`, the read-only one `ghs_readonlytoken`. */
  addIdentity(token: string, identity: FakeIdentity): void {
    this.identities.set(token, identity);
  }

  nextId(): number {
    return ++this.nextIdValue;
  }

  /** Registers a handler; `:name` segments become params. Non-GET routes are writes. */
  route(method: string, path: string, handler: Handler, options: { write?: boolean; scopes?: PermissionScope[] } = {}): void {
    const keys: string[] = [];
    const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/:([A-Za-z_]+)(\\\*)?/g, (_m, key: string, star?: string) => {
      keys.push(key);
      return star ? '(.+)' : '([^/]+)';
    });
    this.routes.push({
      method,
      pattern: new RegExp(`^${source}$`),
      keys,
      handler,
      write: options.write ?? method !== 'GET',
      scopes: options.scopes,
    });
  }

  injectFault(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Holds the next matching request(s) until `release()`; see Hold. */
  hold(match: { method?: string; path?: RegExp; times?: number } = {}): Hold {
    let release!: () => void;
    let arrive!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reached = new Promise<void>((resolve) => (arrive = resolve));
    const hold = { times: 1, ...match, gate, reached, release, arrive };
    this.holds.push(hold);
    return hold;
  }

  countRequests(filter: { method?: string; path?: RegExp } = {}): number {
    return this.requests.filter((r) => (!filter.method || r.method === filter.method) && (!filter.path || filter.path.test(r.path))).length;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Environment for an action run against this server. */
  env(token = 'ghs_writetoken'): Record<string, string> {
    return { GITHUB_API_URL: this.url, GITHUB_SERVER_URL: this.url, GITHUB_TOKEN: token };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '') || '/';

    const { minMs, maxMs } = this.latency;
    if (maxMs > 0) await new Promise((r) => setTimeout(r, minMs + Math.random() * (maxMs - minMs)));
    const hold = this.holds.find((h) => (!h.method || h.method === method) && (!h.path || h.path.test(path)) && (h.times ?? 1) > 0);
    if (hold) {
      hold.times = (hold.times ?? 1) - 1;
      hold.arrive();
      await hold.gate;
    }

    let response: FakeResponse;
    let identity: FakeIdentity | undefined;
    const auth = req.headers.authorization ?? '';
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(auth)?.[1];
    if (token) identity = this.identities.get(token);
    const fault = this.takeFault(method, path);
    if (fault) {
      response = faultResponse(fault);
      if (fault.kind === 'reset') {
        this.requests.push({ method, path, status: 0, login: identity?.login ?? '', at: Date.now() });
        req.socket.destroy();
        return;
      }
    } else if (!identity) {
      response = ghError(401, 'Bad credentials');
    } else {
      const route = this.match(method, path);
      if (!route) {
        response = ghError(404, 'Not Found');
      } else if (route.route.write && identity.access === 'read') {
        response = ghError(403, 'Resource not accessible by integration');
      } else if (identity.permissions && !permits(identity.permissions, route.route.scopes ?? scopesOfPath(path), route.route.write)) {
        response = ghError(403, 'Resource not accessible by integration');
      } else {
        let body: unknown = undefined;
        const type = req.headers['content-type'] ?? '';
        // GitHub reads a REST body as JSON whatever its Content-Type (curl --data sends x-www-form-urlencoded).
        if (
          rawBody.length > 0 &&
          (type.includes('json') || type === '' || /^(text\/plain|application\/x-www-form-urlencoded)/.test(type))
        ) {
          try {
            body = JSON.parse(rawBody.toString('utf8'));
          } catch {
            response = ghError(400, 'Problems parsing JSON');
            return this.send(res, method, path, identity, response);
          }
        }
        try {
          response = await route.route.handler({
            method,
            path,
            params: route.params,
            query: url.searchParams,
            body,
            rawBody,
            headers: req.headers,
            identity,
            baseUrl: this.url,
          });
        } catch (error) {
          response = ghError(500, `fake server error: ${(error as Error).message}`);
        }
      }
    }
    this.send(res, method, path, identity, response);
  }

  private send(res: ServerResponse, method: string, path: string, identity: FakeIdentity | undefined, response: FakeResponse): void {
    this.requests.push({ method, path, status: response.status, login: identity?.login ?? '', at: Date.now() });
    if (this.recordResponses && response.body !== undefined)
      this.responses.push({ method, path, status: response.status, body: response.body });
    const headers: Record<string, string> = {
      'x-github-request-id': `FAKE:${this.requests.length}`,
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-used': '1',
      'x-ratelimit-resource': 'core',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      ...(response.headers ?? {}),
    };
    if (response.raw) {
      res.writeHead(response.status, {
        'content-type': 'application/octet-stream',
        'content-length': String(response.raw.length),
        ...headers,
      });
      res.end(response.raw);
      return;
    }
    if (response.body === undefined || response.status === 204) {
      res.writeHead(response.status, headers);
      res.end();
      return;
    }
    const json = JSON.stringify(response.body);
    res.writeHead(response.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(json)),
      ...headers,
    });
    res.end(json);
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
      return { route, params };
    }
    return undefined;
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const fault = this.faults.find((f) => (!f.method || f.method === method) && (!f.path || f.path.test(path)) && (f.times ?? 1) > 0);
    if (fault) fault.times = (fault.times ?? 1) - 1;
    return fault;
  }
}

function faultResponse(fault: Fault): FakeResponse {
  const retryAfter = String(fault.retryAfterSeconds ?? 1);
  switch (fault.kind) {
    case 'secondary-rate-limit':
      return {
        ...ghError(403, fault.message ?? 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'),
        headers: { 'retry-after': retryAfter },
      };
    case 'primary-rate-limit':
      return {
        ...ghError(403, fault.message ?? 'API rate limit exceeded for installation ID 1.'),
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + Number(retryAfter)) },
      };
    default:
      return ghError(fault.status ?? 500, fault.message ?? 'Server Error');
  }
}

/** A `simple-user` object with every documented field, as GitHub embeds in comments, tags and releases. */
export function userJson(user: Pick<FakeIdentity, 'login' | 'id' | 'type'>, baseUrl: string): Record<string, unknown> {
  const api = `${baseUrl}/users/${encodeURIComponent(user.login)}`;
  const bot = user.type === 'Bot';
  return {
    login: user.login,
    id: user.id,
    node_id: `${bot ? 'BOT' : 'U'}_${Buffer.from(String(user.id)).toString('base64url')}`,
    avatar_url: `${baseUrl}/avatars/u/${user.id}?v=4`,
    gravatar_id: '',
    url: api,
    // A bot's page is its app's: github-actions[bot] -> /apps/github-actions.
    html_url: `${baseUrl}/${bot ? `apps/${user.login.replace(/\[bot\]$/, '')}` : encodeURIComponent(user.login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** The `public-user` answer of GET /user. */
function publicUserJson(identity: FakeIdentity, baseUrl: string): Record<string, unknown> {
  const epoch = '2011-01-25T18:44:36Z';
  return {
    ...userJson(identity, baseUrl),
    user_view_type: 'public',
    name: identity.login,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: epoch,
    updated_at: epoch,
  };
}

/**
 * GitHub's page-based pagination: `per_page` (default 30, max 100) and `page`, with a
 * `Link` header carrying next/last/prev/first as GitHub writes it.
 */
export function paginate<T>(req: FakeRequest, items: T[]): FakeResponse {
  const perPage = Math.min(Math.max(Number(req.query.get('per_page') ?? 30) || 30, 1), 100);
  const page = Math.max(Number(req.query.get('page') ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number) => {
    const url = new URL(req.path, req.baseUrl);
    for (const [k, v] of req.query) url.searchParams.set(k, v);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(p));
    return url.toString();
  };
  const parts: string[] = [];
  if (page > 1) parts.push(`<${link(page - 1)}>; rel="prev"`);
  if (page < last) parts.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
  if (page > 1) parts.push(`<${link(1)}>; rel="first"`);
  return { status: 200, body: slice, headers: parts.length ? { link: parts.join(', ') } : {} };
}
