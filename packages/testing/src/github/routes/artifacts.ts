import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ghError, paginate, type FakeGitHub, type FakeRequest, type FakeResponse } from '../server.js';

const DEFAULT_REPOSITORY = 'octo-org/pipeline-demo';
const TWIRP = '/twirp/github.actions.results.api.v1.ArtifactService';
const ACCOUNT = 'devstoreaccount1';
const CONTAINER = 'actions-results';

/** One artifact as the fake stores it. */
export interface FakeArtifact {
  id: number;
  name: string;
  /** `owner/name` of the repository whose run made it. */
  repository: string;
  runId: number;
  workflowRunBackendId: string;
  workflowJobRunBackendId: string;
  /** Key of the blob holding the bytes in `blobs`. */
  blobKey: string;
  size: number;
  /** `sha256:<hex>` as the upload client reported it. */
  digest: string | null;
  createdAt: string;
  expiresAt: string;
  finalized: boolean;
  /** An expired artifact is still listed (expired: true) but its download answers 410 Gone. */
  expired: boolean;
}

export interface FakeBlob {
  content: Buffer;
  contentType: string;
  /** Staged but not yet committed blocks (Put Block), by block id. */
  blocks: Map<string, Buffer>;
  /** The SAS signature a request must carry. */
  sig: string;
}

export interface RuntimeEnvOptions {
  repository?: string;
  jobId?: string;
}

/** State of the artifacts endpoints, inspectable by tests. */
export interface ArtifactsState {
  artifacts: FakeArtifact[];
  /** Blob storage behind the signed URLs, by `container/path`. */
  blobs: Map<string, FakeBlob>;
  /** Base URL of the blob server (set once the fake has started). */
  blobUrl: string;
  /**
   * Environment the runner gives a JavaScript action for the artifact service:
   * ACTIONS_RUNTIME_TOKEN (a JWT whose `scp` holds `Actions.Results:{runBackendId}:{jobBackendId}`)
   * and ACTIONS_RESULTS_URL. The token is registered as an identity of the fake.
   */
  runtimeEnv(runId: number | string, options?: RuntimeEnvOptions): Record<string, string>;
  /** Adds a finalized artifact directly (as if a run had uploaded it). */
  addArtifact(spec: {
    name: string;
    content: Buffer;
    runId: number | string;
    repository?: string;
    contentType?: string;
    expired?: boolean;
  }): FakeArtifact;
  find(filter: { id?: number; name?: string; runId?: number | string }): FakeArtifact | undefined;
  /** The stored bytes of an artifact. */
  content(artifact: FakeArtifact): Buffer;
  /** Marks an artifact expired: listed with expired: true, download 410. */
  expire(artifact: FakeArtifact): void;
  /** Requests the blob server saw, in order. */
  blobRequests: { method: string; path: string; status: number }[];
}

interface RunBinding {
  runId: number;
  repository: string;
}

/**
 * Registers the artifact endpoints: the REST listing/download API (with GitHub's 302 to a signed
 * blob URL) and the Twirp results service plus Azure-blob-style storage that @actions/artifact v6
 * uploads through. Blob URLs carry their SAS signature in the query and no Authorization header,
 * so they are served by a second small server on loopback, started and stopped with the fake.
 */
export function registerArtifactsRoutes(github: FakeGitHub): ArtifactsState {
  const bindings = new Map<string, RunBinding>();
  const blobServer = createBlobServer();
  const state: ArtifactsState = {
    artifacts: [],
    blobs: blobServer.blobs,
    blobUrl: '',
    blobRequests: blobServer.requests,
    runtimeEnv(runId, options = {}) {
      const runBackendId = randomUUID();
      const jobBackendId = options.jobId ?? randomUUID();
      bindings.set(runBackendId, { runId: Number(runId), repository: options.repository ?? DEFAULT_REPOSITORY });
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const token = `${b64({ typ: 'JWT', alg: 'RS256' })}.${b64({
        scp: `Actions.GenericRead:${runBackendId} Actions.Results:${runBackendId}:${jobBackendId}`,
        iss: 'vstoken.actions.githubusercontent.com',
        exp: Math.floor(Date.now() / 1000) + 6 * 3600,
      })}.${randomBytes(32).toString('base64url')}`;
      github.addIdentity(token, { login: 'github-actions[bot]', id: 41898282, type: 'Bot', access: 'write', installation: true });
      return { ACTIONS_RUNTIME_TOKEN: token, ACTIONS_RESULTS_URL: `${github.url}/` };
    },
    addArtifact(spec) {
      const artifact = newArtifact(spec.name, Number(spec.runId), spec.repository ?? DEFAULT_REPOSITORY, randomUUID(), randomUUID());
      blobServer.blobs.set(artifact.blobKey, {
        content: spec.content,
        contentType: spec.contentType ?? 'application/zip',
        blocks: new Map(),
        sig: randomBytes(16).toString('hex'),
      });
      artifact.size = spec.content.length;
      artifact.digest = `sha256:${createHash('sha256').update(spec.content).digest('hex')}`;
      artifact.finalized = true;
      artifact.expired = spec.expired ?? false;
      return artifact;
    },
    find(filter) {
      return state.artifacts.find(
        (a) =>
          (filter.id === undefined || a.id === filter.id) &&
          (filter.name === undefined || a.name === filter.name) &&
          (filter.runId === undefined || a.runId === Number(filter.runId)),
      );
    },
    content(artifact) {
      return blobServer.blobs.get(artifact.blobKey)?.content ?? Buffer.alloc(0);
    },
    expire(artifact) {
      artifact.expired = true;
      artifact.expiresAt = new Date(Date.now() - 1000).toISOString();
    },
  };

  function newArtifact(name: string, runId: number, repository: string, runBackendId: string, jobBackendId: string): FakeArtifact {
    const now = new Date();
    const artifact: FakeArtifact = {
      id: github.nextId(),
      name,
      repository,
      runId,
      workflowRunBackendId: runBackendId,
      workflowJobRunBackendId: jobBackendId,
      blobKey: `${CONTAINER}/${runBackendId}/${jobBackendId}/${encodeURIComponent(name)}`,
      size: 0,
      digest: null,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 90 * 86_400_000).toISOString(),
      finalized: false,
      expired: false,
    };
    state.artifacts.push(artifact);
    return artifact;
  }

  // Start and stop the blob server together with the fake.
  const start = github.start.bind(github);
  const stop = github.stop.bind(github);
  github.start = async () => {
    state.blobUrl = await blobServer.start();
    return start();
  };
  github.stop = async () => {
    await blobServer.stop();
    await stop();
  };

  const signedUrl = (blobKey: string, permissions: string, extra: Record<string, string> = {}) => {
    const blob = blobServer.blobs.get(blobKey);
    const q = new URLSearchParams({
      sv: '2023-11-03',
      se: new Date(Date.now() + 3600_000).toISOString(),
      sr: 'b',
      sp: permissions,
      ...extra,
      sig: blob?.sig ?? '',
    });
    return `${state.blobUrl}/${ACCOUNT}/${blobKey}?${q.toString()}`;
  };

  // Twirp results service ----------------------------------------------------
  const twirpError = (status: number, code: string, msg: string): FakeResponse => ({ status, body: { code, msg } });
  const backendIds = (req: FakeRequest) => {
    const token = /^bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    try {
      const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { scp?: string };
      const scope = (payload.scp ?? '').split(' ').find((s) => s.startsWith('Actions.Results:'));
      const [, run, job] = scope?.split(':') ?? [];
      return run && job ? { run, job } : undefined;
    } catch {
      return undefined;
    }
  };
  const twirp = (
    method: string,
    handler: (req: FakeRequest, ids: { run: string; job: string }, body: Record<string, unknown>) => FakeResponse,
  ) =>
    github.route('POST', `${TWIRP}/${method}`, (req) => {
      const ids = backendIds(req);
      if (!ids) return twirpError(401, 'unauthenticated', 'the runtime token has no Actions.Results scope');
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (body.workflow_run_backend_id !== undefined && body.workflow_run_backend_id !== ids.run) {
        return twirpError(403, 'permission_denied', 'workflow run backend id does not match the token');
      }
      return handler(req, ids, body);
    });

  twirp('CreateArtifact', (_req, ids, body) => {
    const name = String(body.name ?? '');
    const binding = bindings.get(ids.run);
    if (!binding) return twirpError(404, 'not_found', 'unknown workflow run');
    if (name === '') return twirpError(400, 'invalid_argument', 'name is required');
    if (state.artifacts.some((a) => a.workflowRunBackendId === ids.run && a.name === name && a.finalized)) {
      return twirpError(409, 'already_exists', `an artifact with this name already exists on the workflow run`);
    }
    state.artifacts = state.artifacts.filter((a) => !(a.workflowRunBackendId === ids.run && a.name === name && !a.finalized));
    const artifact = newArtifact(name, binding.runId, binding.repository, ids.run, ids.job);
    if (typeof body.expires_at === 'string') artifact.expiresAt = new Date(body.expires_at).toISOString();
    const mime = typeof body.mime_type === 'string' ? body.mime_type : 'application/zip';
    blobServer.blobs.set(artifact.blobKey, {
      content: Buffer.alloc(0),
      contentType: mime,
      blocks: new Map(),
      sig: randomBytes(16).toString('hex'),
    });
    return { status: 200, body: { ok: true, signed_upload_url: signedUrl(artifact.blobKey, 'cw') } };
  });

  twirp('FinalizeArtifact', (_req, ids, body) => {
    const artifact = state.artifacts.find((a) => a.workflowRunBackendId === ids.run && a.name === body.name && !a.finalized);
    if (!artifact) return twirpError(404, 'not_found', 'artifact not found');
    const blob = blobServer.blobs.get(artifact.blobKey);
    if (!blob) return twirpError(404, 'not_found', 'artifact has no uploaded content');
    if (body.size !== undefined && Number(body.size) !== blob.content.length) {
      return twirpError(400, 'invalid_argument', `size ${String(body.size)} does not match the uploaded ${blob.content.length} bytes`);
    }
    artifact.size = blob.content.length;
    artifact.digest = typeof body.hash === 'string' ? body.hash : null;
    artifact.finalized = true;
    return { status: 200, body: { ok: true, artifact_id: String(artifact.id) } };
  });

  const monolith = (a: FakeArtifact) => ({
    workflow_run_backend_id: a.workflowRunBackendId,
    workflow_job_run_backend_id: a.workflowJobRunBackendId,
    database_id: String(a.id),
    name: a.name,
    size: String(a.size),
    created_at: a.createdAt,
    ...(a.digest ? { digest: a.digest } : {}),
  });
  twirp('ListArtifacts', (_req, ids, body) => {
    const list = state.artifacts.filter(
      (a) =>
        a.workflowRunBackendId === ids.run &&
        a.finalized &&
        !a.expired &&
        (body.name_filter === undefined || a.name === body.name_filter) &&
        (body.id_filter === undefined || String(a.id) === String(body.id_filter)),
    );
    return { status: 200, body: { artifacts: list.map(monolith) } };
  });
  twirp('GetSignedArtifactURL', (_req, ids, body) => {
    const artifact = state.artifacts.find((a) => a.workflowRunBackendId === ids.run && a.name === body.name && a.finalized);
    if (!artifact || artifact.expired) return twirpError(404, 'not_found', 'artifact not found');
    return { status: 200, body: { signed_url: signedUrl(artifact.blobKey, 'r') } };
  });

  // REST ---------------------------------------------------------------------
  const repoName = (req: FakeRequest) => `${req.params.owner}/${req.params.repo}`;
  const artifactJson = (req: FakeRequest, a: FakeArtifact) => {
    const api = `${req.baseUrl}/repos/${a.repository}`;
    return {
      id: a.id,
      node_id: `MDg6QXJ0aWZhY3Q${a.id}`,
      name: a.name,
      size_in_bytes: a.size,
      url: `${api}/actions/artifacts/${a.id}`,
      archive_download_url: `${api}/actions/artifacts/${a.id}/zip`,
      expired: a.expired,
      digest: a.digest,
      created_at: a.createdAt,
      updated_at: a.createdAt,
      expires_at: a.expiresAt,
      workflow_run: { id: a.runId, repository_id: 1, head_repository_id: 1, head_branch: 'main', head_sha: '' },
    };
  };
  const listing = (req: FakeRequest, list: FakeArtifact[]): FakeResponse => {
    const name = req.query.get('name');
    const items = list
      .filter((a) => a.finalized && a.repository === repoName(req) && (name === null || a.name === name))
      .sort((a, b) => b.id - a.id)
      .map((a) => artifactJson(req, a));
    const page = paginate(req, items);
    return { ...page, body: { total_count: items.length, artifacts: page.body } };
  };
  github.route('GET', '/repos/:owner/:repo/actions/runs/:run_id/artifacts', (req) =>
    listing(
      req,
      state.artifacts.filter((a) => String(a.runId) === req.params.run_id),
    ),
  );
  github.route('GET', '/repos/:owner/:repo/actions/artifacts', (req) => listing(req, state.artifacts));
  const findRest = (req: FakeRequest) =>
    state.artifacts.find((a) => String(a.id) === req.params.artifact_id && a.repository === repoName(req) && a.finalized);
  github.route('GET', '/repos/:owner/:repo/actions/artifacts/:artifact_id', (req) => {
    const a = findRest(req);
    return a ? { status: 200, body: artifactJson(req, a) } : ghError(404, 'Not Found');
  });
  github.route('GET', '/repos/:owner/:repo/actions/artifacts/:artifact_id/:format', (req) => {
    const a = findRest(req);
    if (!a) return ghError(404, 'Not Found');
    if (req.params.format !== 'zip') return ghError(422, `Unsupported archive format: ${req.params.format}`);
    if (a.expired) return ghError(410, 'Artifact has expired');
    // A zipped artifact downloads as {name}.zip (what download-artifact and gh run download unzip); a raw one under its name.
    const zipped = blobServer.blobs.get(a.blobKey)?.contentType === 'application/zip';
    const file = zipped ? `${a.name}.zip` : a.name;
    return {
      status: 302,
      headers: {
        location: signedUrl(a.blobKey, 'r', { rscd: `attachment; filename="${file}"; filename*=UTF-8''${encodeURIComponent(file)}` }),
      },
    };
  });
  github.route('DELETE', '/repos/:owner/:repo/actions/artifacts/:artifact_id', (req) => {
    const a = findRest(req);
    if (!a) return ghError(404, 'Not Found');
    state.artifacts = state.artifacts.filter((x) => x !== a);
    blobServer.blobs.delete(a.blobKey);
    return { status: 204 };
  });

  return state;
}

/** A tiny Azure-blob-compatible server: Put Block, Put Block List, Put Blob and Get Blob with a SAS `sig`. */
function createBlobServer() {
  const blobs = new Map<string, FakeBlob>();
  const requests: { method: string; path: string; status: number }[] = [];
  let server: Server | undefined;

  const reply = (
    res: ServerResponse,
    method: string,
    path: string,
    status: number,
    headers: Record<string, string> = {},
    body?: Buffer | string,
  ) => {
    requests.push({ method, path, status });
    const common = { 'x-ms-request-id': randomUUID(), 'x-ms-version': '2023-11-03', date: new Date().toUTCString() };
    if (status >= 400 && body === undefined) {
      const code = status === 403 ? 'AuthenticationFailed' : status === 404 ? 'BlobNotFound' : 'InvalidInput';
      body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`;
      headers = { ...headers, 'content-type': 'application/xml', 'x-ms-error-code': code };
    }
    const data = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
    res.writeHead(status, { ...common, ...headers, 'content-length': String(data?.length ?? 0) });
    res.end(data);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const prefix = `/${ACCOUNT}/`;
    const key = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
    const blob = blobs.get(key);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (!blob) return reply(res, method, url.pathname, 404);
    const sig = url.searchParams.get('sig');
    const expiry = Date.parse(url.searchParams.get('se') ?? '');
    if (sig !== blob.sig || !(expiry > Date.now())) return reply(res, method, url.pathname, 403);
    const permissions = url.searchParams.get('sp') ?? '';
    const etag = () => `"0x${createHash('md5').update(blob.content).digest('hex').slice(0, 15).toUpperCase()}"`;
    if (method === 'GET' || method === 'HEAD') {
      if (!permissions.includes('r')) return reply(res, method, url.pathname, 403);
      const headers: Record<string, string> = {
        'content-type': blob.contentType,
        etag: etag(),
        'last-modified': new Date().toUTCString(),
        'x-ms-blob-type': 'BlockBlob',
      };
      const rscd = url.searchParams.get('rscd');
      if (rscd) headers['content-disposition'] = rscd;
      return reply(res, method, url.pathname, 200, headers, method === 'GET' ? blob.content : undefined);
    }
    if (method !== 'PUT' || !permissions.includes('w')) return reply(res, method, url.pathname, 403);
    const comp = url.searchParams.get('comp');
    if (comp === 'block') {
      const id = url.searchParams.get('blockid');
      if (!id) return reply(res, method, url.pathname, 400);
      blob.blocks.set(id, body);
      return reply(res, method, url.pathname, 201, { 'x-ms-request-server-encrypted': 'true' });
    }
    if (comp === 'blocklist') {
      const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\/(?:Latest|Uncommitted|Committed)>/g)].map(
        (m) => m[1],
      );
      const parts: Buffer[] = [];
      for (const id of ids) {
        const part = blob.blocks.get(id);
        if (!part) return reply(res, method, url.pathname, 400);
        parts.push(part);
      }
      blob.content = Buffer.concat(parts);
      blob.blocks.clear();
      const type = req.headers['x-ms-blob-content-type'];
      if (typeof type === 'string' && type !== '') blob.contentType = type;
      return reply(res, method, url.pathname, 201, {
        etag: etag(),
        'last-modified': new Date().toUTCString(),
        'x-ms-request-server-encrypted': 'true',
      });
    }
    if (comp === null) {
      blob.content = body;
      const type = req.headers['x-ms-blob-content-type'] ?? req.headers['content-type'];
      if (typeof type === 'string' && type !== '') blob.contentType = type;
      return reply(res, method, url.pathname, 201, {
        etag: etag(),
        'last-modified': new Date().toUTCString(),
        'x-ms-request-server-encrypted': 'true',
      });
    }
    return reply(res, method, url.pathname, 400);
  };

  return {
    blobs,
    requests,
    async start(): Promise<string> {
      server = createServer((req, res) => {
        handle(req, res).catch(() => {
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async stop(): Promise<void> {
      if (!server) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
    },
  };
}
