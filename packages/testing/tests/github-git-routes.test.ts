import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_REPOSITORY } from '../src/harness.js';
import { startFakeGitHub, type FakeGitHubApi } from '../src/github/index.js';

const REPO = DEFAULT_REPOSITORY;
const SHA = '84fb588e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a';
const OTHER = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';

let gh: FakeGitHubApi;
beforeAll(async () => {
  gh = await startFakeGitHub();
  gh.git.addCommit(REPO, { sha: SHA });
  gh.git.addCommit(REPO, { sha: OTHER, parents: [SHA] });
});
afterAll(() => gh.stop());

function api(
  path: string,
  init: {
    method?: string;
    body?: unknown;
    token?: string;
    redirect?: 'manual' | 'follow' | 'error';
    headers?: Record<string, string>;
  } = {},
) {
  return fetch(`${gh.url}${path}`, {
    method: init.method ?? 'GET',
    redirect: init.redirect,
    headers: { authorization: `token ${init.token ?? 'ghs_writetoken'}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

describe('fake git refs and annotated tags', () => {
  it('creates an annotated tag object and its ref, and peels it back to the commit', async () => {
    const tag = await api(`/repos/${REPO}/git/tags`, {
      method: 'POST',
      body: { tag: 'build-1', message: '{"a":1}\n', object: SHA, type: 'commit' },
    });
    expect(tag.status).toBe(201);
    const tagJson = (await tag.json()) as { sha: string; tagger: { date: string }; object: { sha: string } };
    expect(tagJson.object.sha).toBe(SHA);
    expect(tagJson.tagger.date).toMatch(/^\d{4}-/);
    const ref = await api(`/repos/${REPO}/git/refs`, { method: 'POST', body: { ref: 'refs/tags/build-1', sha: tagJson.sha } });
    expect(ref.status).toBe(201);
    const got = (await (await api(`/repos/${REPO}/git/ref/tags/build-1`)).json()) as { object: { sha: string; type: string } };
    expect(got.object).toMatchObject({ sha: tagJson.sha, type: 'tag' });
    const obj = (await (await api(`/repos/${REPO}/git/tags/${tagJson.sha}`)).json()) as { message: string };
    expect(obj.message).toBe('{"a":1}\n');
    expect(gh.git.peel(REPO, tagJson.sha)).toBe(SHA);
  });

  it('answers 422 for an existing ref and for an unknown object, 404 for a missing ref', async () => {
    const dup = await api(`/repos/${REPO}/git/refs`, { method: 'POST', body: { ref: 'refs/tags/build-1', sha: SHA } });
    expect(dup.status).toBe(422);
    expect(await dup.json()).toMatchObject({ message: 'Reference already exists' });
    const unknown = await api(`/repos/${REPO}/git/refs`, { method: 'POST', body: { ref: 'refs/tags/x', sha: 'f'.repeat(40) } });
    expect(unknown.status).toBe(422);
    expect((await api(`/repos/${REPO}/git/ref/tags/nope`)).status).toBe(404);
  });

  it('lists matching refs by prefix with pagination, and encoded ref paths work', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await api(`/repos/${REPO}/git/refs`, { method: 'POST', body: { ref: `refs/tags/qa-${i}`, sha: SHA } })).status).toBe(201);
    }
    const page = await api(`/repos/${REPO}/git/matching-refs/tags%2Fqa-?per_page=2`);
    expect(((await page.json()) as unknown[]).length).toBe(2);
    expect(page.headers.get('link')).toContain('rel="next"');
    const all = (await (await api(`/repos/${REPO}/git/matching-refs/tags/qa-?per_page=100`)).json()) as { ref: string }[];
    expect(all.map((r) => r.ref)).toEqual(['refs/tags/qa-0', 'refs/tags/qa-1', 'refs/tags/qa-2', 'refs/tags/qa-3', 'refs/tags/qa-4']);
  });

  it('updates and deletes refs; a branch update must fast-forward unless forced', async () => {
    expect((await api(`/repos/${REPO}/git/refs`, { method: 'POST', body: { ref: 'refs/heads/main', sha: OTHER } })).status).toBe(201);
    expect((await api(`/repos/${REPO}/git/refs/heads/main`, { method: 'PATCH', body: { sha: SHA } })).status).toBe(422);
    expect((await api(`/repos/${REPO}/git/refs/heads/main`, { method: 'PATCH', body: { sha: SHA, force: true } })).status).toBe(200);
    expect((await api(`/repos/${REPO}/git/refs/tags/qa-4`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/repos/${REPO}/git/refs/tags/qa-4`, { method: 'DELETE' })).status).toBe(422);
  });

  it('refuses tag writes from a read-only token with 403', async () => {
    const r = await api(`/repos/${REPO}/git/tags`, {
      method: 'POST',
      token: 'ghs_readonlytoken',
      body: { tag: 't', message: 'm', object: SHA, type: 'commit' },
    });
    expect(r.status).toBe(403);
  });

  it('reads commits', async () => {
    const c = (await (await api(`/repos/${REPO}/git/commits/${OTHER}`)).json()) as { sha: string; parents: { sha: string }[] };
    expect(c.sha).toBe(OTHER);
    expect(c.parents[0].sha).toBe(SHA);
  });
});

describe('fake releases', () => {
  it('creates a release, finds it by tag, lists newest first and refuses a duplicate', async () => {
    const created = await api(`/repos/${REPO}/releases`, { method: 'POST', body: { tag_name: 'build-1', name: 'v1', body: 'notes' } });
    expect(created.status).toBe(201);
    const rel = (await created.json()) as { id: number; html_url: string };
    expect(rel.html_url).toContain('/releases/tag/build-1');
    const byTag = (await (await api(`/repos/${REPO}/releases/tags/build-1`)).json()) as { id: number; body: string };
    expect(byTag).toMatchObject({ id: rel.id, body: 'notes' });
    const dup = await api(`/repos/${REPO}/releases`, { method: 'POST', body: { tag_name: 'build-1' } });
    expect(dup.status).toBe(422);
    expect(await dup.json()).toMatchObject({ errors: [{ code: 'already_exists' }] });
    await api(`/repos/${REPO}/releases`, { method: 'POST', body: { tag_name: 'new-tag', target_commitish: OTHER } });
    const list = (await (await api(`/repos/${REPO}/releases`)).json()) as { tag_name: string }[];
    expect(list.map((r) => r.tag_name)).toEqual(['new-tag', 'build-1']);
    expect(gh.git.repo(REPO).refs.get('refs/tags/new-tag')).toBe(OTHER);
    expect((await api(`/repos/${REPO}/releases/tags/none`)).status).toBe(404);
  });
});

describe('fake artifacts: REST listing, 302 download and expiry', () => {
  it('lists run artifacts, redirects the download to a signed blob URL, and answers 410 once expired', async () => {
    const content = Buffer.from('tarball bytes');
    const a = gh.artifacts.addArtifact({ name: 'service-api-1.tar.gz', content, runId: 77, contentType: 'application/gzip' });
    const list = (await (await api(`/repos/${REPO}/actions/runs/77/artifacts?name=service-api-1.tar.gz`)).json()) as {
      total_count: number;
      artifacts: { id: number; expired: boolean; digest: string }[];
    };
    expect(list.total_count).toBe(1);
    expect(list.artifacts[0]).toMatchObject({ id: a.id, expired: false, digest: a.digest });
    expect(((await (await api(`/repos/${REPO}/actions/artifacts`)).json()) as { total_count: number }).total_count).toBeGreaterThanOrEqual(
      1,
    );

    const redirect = await api(`/repos/${REPO}/actions/artifacts/${a.id}/zip`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location') ?? '';
    expect(location.startsWith(gh.artifacts.blobUrl)).toBe(true);
    const blob = await fetch(location);
    expect(blob.status).toBe(200);
    expect(blob.headers.get('content-disposition')).toContain('service-api-1.tar.gz');
    expect(Buffer.from(await blob.arrayBuffer()).equals(content)).toBe(true);
    const unsigned = await fetch(location.replace(/sig=[^&]+/, 'sig=wrong'));
    expect(unsigned.status).toBe(403);

    gh.artifacts.expire(a);
    const after = (await (await api(`/repos/${REPO}/actions/artifacts/${a.id}`)).json()) as { expired: boolean };
    expect(after.expired).toBe(true);
    const gone = await api(`/repos/${REPO}/actions/artifacts/${a.id}/zip`, { redirect: 'manual' });
    expect(gone.status).toBe(410);
  });
});

describe('fake artifact results service (Twirp + blob upload)', () => {
  it('creates, uploads in blocks, finalizes and lists an artifact the way @actions/artifact does', async () => {
    const env = gh.artifacts.runtimeEnv(88);
    const token = env.ACTIONS_RUNTIME_TOKEN;
    const twirp = (method: string, body: unknown) =>
      fetch(`${env.ACTIONS_RESULTS_URL}twirp/github.actions.results.api.v1.ArtifactService/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const scp = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { scp: string }).scp;
    const [, run, job] = /Actions\.Results:([^:]+):(\S+)/.exec(scp) ?? [];
    expect(run && job).toBeTruthy();

    const created = (await (
      await twirp('CreateArtifact', {
        workflow_run_backend_id: run,
        workflow_job_run_backend_id: job,
        name: 'x.tar.gz',
        version: 7,
        mime_type: 'application/gzip',
      })
    ).json()) as {
      ok: boolean;
      signed_upload_url: string;
    };
    expect(created.ok).toBe(true);
    const url = created.signed_upload_url;
    const put = (query: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${url}&${query}`, { method: 'PUT', body, headers });
    expect((await put('comp=block&blockid=QUE=', 'hello ')).status).toBe(201);
    expect((await put('comp=block&blockid=QUI=', 'world')).status).toBe(201);
    const list = '<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>QUE=</Latest><Latest>QUI=</Latest></BlockList>';
    expect((await put('comp=blocklist', list, { 'x-ms-blob-content-type': 'application/gzip' })).status).toBe(201);

    const finalized = (await (
      await twirp('FinalizeArtifact', { workflow_run_backend_id: run, workflow_job_run_backend_id: job, name: 'x.tar.gz', size: '11' })
    ).json()) as {
      ok: boolean;
      artifact_id: string;
    };
    expect(finalized.ok).toBe(true);
    const stored = gh.artifacts.find({ id: Number(finalized.artifact_id) })!;
    expect(stored.runId).toBe(88);
    expect(gh.artifacts.content(stored).toString()).toBe('hello world');

    const listed = (await (
      await twirp('ListArtifacts', { workflow_run_backend_id: run, workflow_job_run_backend_id: job, name_filter: 'x.tar.gz' })
    ).json()) as {
      artifacts: { database_id: string }[];
    };
    expect(listed.artifacts.map((a) => a.database_id)).toEqual([finalized.artifact_id]);
    const signed = (await (
      await twirp('GetSignedArtifactURL', { workflow_run_backend_id: run, workflow_job_run_backend_id: job, name: 'x.tar.gz' })
    ).json()) as {
      signed_url: string;
    };
    expect(await (await fetch(signed.signed_url)).text()).toBe('hello world');

    const again = await twirp('CreateArtifact', {
      workflow_run_backend_id: run,
      workflow_job_run_backend_id: job,
      name: 'x.tar.gz',
      version: 7,
    });
    expect(again.status).toBe(409);
    const noToken = await fetch(`${env.ACTIONS_RESULTS_URL}twirp/github.actions.results.api.v1.ArtifactService/ListArtifacts`, {
      method: 'POST',
      body: '{}',
    });
    expect(noToken.status).toBe(401);
  });
});
