import { createHash } from 'node:crypto';
import { ghError, paginate, userJson, type FakeGitHub, type FakeRequest, type FakeResponse } from '../server.js';

export interface GitPerson {
  name: string;
  email: string;
  date: string;
}

export interface FakeCommit {
  sha: string;
  message: string;
  author: GitPerson;
  committer: GitPerson;
  parents: string[];
  tree: string;
}

/** An annotated tag object (POST /git/tags), as GitHub stores it. */
export interface FakeTagObject {
  sha: string;
  tag: string;
  message: string;
  tagger: GitPerson;
  object: { sha: string; type: 'commit' | 'tag' | 'tree' | 'blob' };
}

export interface FakeRelease {
  id: number;
  tag_name: string;
  target_commitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  created_at: string;
  published_at: string | null;
  author: string;
}

/** One repository's git database: refs, commits, annotated tag objects and releases. */
export interface RepoGit {
  /** Full ref name (`refs/tags/build-1`) to the sha it points at. */
  refs: Map<string, string>;
  commits: Map<string, FakeCommit>;
  tags: Map<string, FakeTagObject>;
  releases: FakeRelease[];
  /** Who created each ref through the API (login), as GitHub's audit log and rulesets see it; absent for seeded refs. */
  refCreators: Map<string, string>;
}

/** State of the git endpoints, inspectable by tests. */
export interface GitState {
  /** Repositories by `owner/name`, created on first use. */
  repos: Map<string, RepoGit>;
  repo(fullName: string): RepoGit;
  /** Adds a commit the API will accept as a ref target; returns its sha. */
  addCommit(fullName: string, commit?: Partial<FakeCommit> & { sha?: string }): string;
  /** The commit a ref finally points at (annotated tags are peeled), or undefined. */
  peel(fullName: string, sha: string): string | undefined;
  /** Clock for tagger/created dates; tests may replace it. */
  now: () => Date;
}

const SHA_RE = /^[0-9a-f]{40}$/;

function fakeSha(...parts: string[]): string {
  return createHash('sha1').update(parts.join('\0')).digest('hex');
}

/** Registers git refs, commits, annotated tags and releases on the fake. */
export function registerGitRoutes(github: FakeGitHub): GitState {
  const repos = new Map<string, RepoGit>();
  const state: GitState = {
    repos,
    now: () => new Date(),
    repo(fullName) {
      let r = repos.get(fullName);
      if (!r) {
        r = { refs: new Map(), commits: new Map(), tags: new Map(), releases: [], refCreators: new Map() };
        repos.set(fullName, r);
      }
      return r;
    },
    addCommit(fullName, commit = {}) {
      const date = state.now().toISOString();
      const person = { name: 'Octo Cat', email: 'octocat@example.com', date };
      const sha = commit.sha ?? fakeSha('commit', fullName, String(Math.random()), date);
      state.repo(fullName).commits.set(sha, {
        sha,
        message: commit.message ?? `commit ${sha.slice(0, 7)}`,
        author: commit.author ?? person,
        committer: commit.committer ?? person,
        parents: commit.parents ?? [],
        tree: commit.tree ?? fakeSha('tree', sha),
      });
      return sha;
    },
    peel(fullName, sha) {
      const r = state.repo(fullName);
      for (let i = 0; i < 10; i++) {
        const tag = r.tags.get(sha);
        if (!tag) return r.commits.has(sha) ? sha : undefined;
        sha = tag.object.sha;
      }
      return undefined;
    },
  };

  const repoOf = (req: FakeRequest) => state.repo(`${req.params.owner}/${req.params.repo}`);
  const api = (req: FakeRequest) => `${req.baseUrl}/repos/${req.params.owner}/${req.params.repo}`;
  const objectType = (r: RepoGit, sha: string) => (r.tags.has(sha) ? 'tag' : 'commit');
  const refJson = (req: FakeRequest, r: RepoGit, ref: string, sha: string) => ({
    ref,
    node_id: `REF_${Buffer.from(ref).toString('base64url')}`,
    url: `${api(req)}/git/${ref}`,
    object: { sha, type: objectType(r, sha), url: `${api(req)}/git/${objectType(r, sha) === 'tag' ? 'tags' : 'commits'}/${sha}` },
  });
  const tagJson = (req: FakeRequest, t: FakeTagObject) => ({
    node_id: `TAG_${t.sha}`,
    sha: t.sha,
    url: `${api(req)}/git/tags/${t.sha}`,
    tag: t.tag,
    message: t.message,
    tagger: t.tagger,
    object: { ...t.object, url: `${api(req)}/git/${t.object.type === 'tag' ? 'tags' : 'commits'}/${t.object.sha}` },
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  });
  const commitJson = (req: FakeRequest, c: FakeCommit) => ({
    sha: c.sha,
    node_id: `C_${c.sha}`,
    url: `${api(req)}/git/commits/${c.sha}`,
    html_url: `${req.baseUrl}/${req.params.owner}/${req.params.repo}/commit/${c.sha}`,
    author: c.author,
    committer: c.committer,
    message: c.message,
    tree: { sha: c.tree, url: `${api(req)}/git/trees/${c.tree}` },
    parents: c.parents.map((p) => ({ sha: p, url: `${api(req)}/git/commits/${p}` })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  });
  const releaseJson = (req: FakeRequest, rel: FakeRelease) => ({
    id: rel.id,
    node_id: `RE_${rel.id}`,
    url: `${api(req)}/releases/${rel.id}`,
    html_url: `${req.baseUrl}/${req.params.owner}/${req.params.repo}/releases/tag/${encodeURIComponent(rel.tag_name)}`,
    assets_url: `${api(req)}/releases/${rel.id}/assets`,
    upload_url: `${api(req)}/releases/${rel.id}/assets{?name,label}`,
    tarball_url: `${api(req)}/tarball/${rel.tag_name}`,
    zipball_url: `${api(req)}/zipball/${rel.tag_name}`,
    tag_name: rel.tag_name,
    target_commitish: rel.target_commitish,
    name: rel.name,
    body: rel.body,
    draft: rel.draft,
    prerelease: rel.prerelease,
    created_at: rel.created_at,
    published_at: rel.published_at,
    author: userJson({ login: rel.author, id: 1, type: 'Bot' }, req.baseUrl),
    assets: [],
  });
  const invalid = (message: string): FakeResponse => ghError(422, message);
  const body = (req: FakeRequest) => (req.body ?? {}) as Record<string, unknown>;

  // Refs ------------------------------------------------------------------
  github.route('GET', '/repos/:owner/:repo/git/matching-refs/:ref*', (req) => {
    const r = repoOf(req);
    const prefix = `refs/${req.params.ref}`;
    const refs = [...r.refs.entries()].filter(([name]) => name.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return paginate(
      req,
      refs.map(([name, sha]) => refJson(req, r, name, sha)),
    );
  });
  github.route('GET', '/repos/:owner/:repo/git/ref/:ref*', (req) => {
    const r = repoOf(req);
    const ref = `refs/${req.params.ref}`;
    const sha = r.refs.get(ref);
    return sha ? { status: 200, body: refJson(req, r, ref, sha) } : ghError(404, 'Not Found');
  });
  github.route('POST', '/repos/:owner/:repo/git/refs', (req) => {
    const r = repoOf(req);
    const { ref, sha } = body(req);
    if (typeof ref !== 'string' || typeof sha !== 'string') return invalid('Invalid request.\n\n"ref", "sha" weren\'t supplied.');
    if (!/^refs\/[^/]+\/.+/.test(ref)) return invalid("Reference name must start with 'refs/' and have at least two slashes.");
    if (!SHA_RE.test(sha) || (!r.commits.has(sha) && !r.tags.has(sha))) return invalid('Object does not exist');
    if (r.refs.has(ref)) return invalid('Reference already exists');
    r.refs.set(ref, sha);
    r.refCreators.set(ref, req.identity.login);
    return { status: 201, body: refJson(req, r, ref, sha), headers: { location: `${api(req)}/git/${ref}` } };
  });
  github.route('PATCH', '/repos/:owner/:repo/git/refs/:ref*', (req) => {
    const r = repoOf(req);
    const ref = `refs/${req.params.ref}`;
    const { sha, force } = body(req);
    if (!r.refs.has(ref)) return invalid('Reference does not exist');
    if (typeof sha !== 'string' || (!r.commits.has(sha) && !r.tags.has(sha))) return invalid('Object does not exist');
    const current = r.refs.get(ref)!;
    if (ref.startsWith('refs/heads/') && force !== true && !isAncestor(r, current, sha)) return invalid('Update is not a fast forward');
    r.refs.set(ref, sha);
    return { status: 200, body: refJson(req, r, ref, sha) };
  });
  github.route('DELETE', '/repos/:owner/:repo/git/refs/:ref*', (req) => {
    const r = repoOf(req);
    const ref = `refs/${req.params.ref}`;
    if (!r.refs.delete(ref)) return invalid('Reference does not exist');
    return { status: 204 };
  });

  // Annotated tag objects -----------------------------------------------------
  github.route('POST', '/repos/:owner/:repo/git/tags', (req) => {
    const r = repoOf(req);
    const { tag, message, object, type, tagger } = body(req);
    if (typeof tag !== 'string' || typeof message !== 'string' || typeof object !== 'string' || typeof type !== 'string') {
      return invalid('Invalid request.\n\n"tag", "message", "object", "type" weren\'t supplied.');
    }
    if (!['commit', 'tag', 'tree', 'blob'].includes(type))
      return invalid(`Invalid request.\n\n${JSON.stringify(type)} is not a member of ["commit", "tree", "blob", "tag"].`);
    if (!r.commits.has(object) && !r.tags.has(object)) return invalid('Object does not exist');
    const t = tagger as Partial<GitPerson> | undefined;
    const person: GitPerson = {
      name: t?.name ?? req.identity.login,
      email: t?.email ?? `${req.identity.id}+${req.identity.login}@users.noreply.github.com`,
      date: t?.date ?? state.now().toISOString(),
    };
    const sha = fakeSha('tag', tag, message, object, person.date, person.name);
    const obj: FakeTagObject = {
      sha,
      tag,
      message,
      tagger: person,
      object: { sha: object, type: type as FakeTagObject['object']['type'] },
    };
    r.tags.set(sha, obj);
    return { status: 201, body: tagJson(req, obj) };
  });
  github.route('GET', '/repos/:owner/:repo/git/tags/:sha', (req) => {
    const t = repoOf(req).tags.get(req.params.sha);
    return t ? { status: 200, body: tagJson(req, t) } : ghError(404, 'Not Found');
  });

  // Commits -----------------------------------------------------------------
  github.route('GET', '/repos/:owner/:repo/git/commits/:sha', (req) => {
    const c = repoOf(req).commits.get(req.params.sha);
    return c ? { status: 200, body: commitJson(req, c) } : ghError(404, 'Not Found');
  });
  github.route('POST', '/repos/:owner/:repo/git/commits', (req) => {
    const { message, tree, parents } = body(req);
    if (typeof message !== 'string' || typeof tree !== 'string') return invalid('Invalid request.\n\n"message", "tree" weren\'t supplied.');
    const full = `${req.params.owner}/${req.params.repo}`;
    const parentList = Array.isArray(parents) ? parents.map(String) : [];
    const sha = state.addCommit(full, {
      message,
      tree,
      parents: parentList,
      sha: fakeSha('commit', full, message, tree, ...parentList, String(Math.random())),
    });
    return { status: 201, body: commitJson(req, state.repo(full).commits.get(sha)!) };
  });
  github.route('GET', '/repos/:owner/:repo/commits/:ref', (req) => {
    const r = repoOf(req);
    const ref = req.params.ref;
    const sha = r.commits.has(ref)
      ? ref
      : state.peel(`${req.params.owner}/${req.params.repo}`, r.refs.get(`refs/heads/${ref}`) ?? r.refs.get(`refs/tags/${ref}`) ?? '');
    const c = sha ? r.commits.get(sha) : undefined;
    if (!c) return ghError(422, `No commit found for SHA: ${ref}`);
    const json = commitJson(req, c);
    return {
      status: 200,
      body: {
        sha: c.sha,
        node_id: json.node_id,
        url: `${api(req)}/commits/${c.sha}`,
        html_url: json.html_url,
        comments_url: `${api(req)}/commits/${c.sha}/comments`,
        commit: { ...json, comment_count: 0 },
        // A commit whose author email matches no GitHub account has null author/committer users.
        author: null,
        committer: null,
        parents: json.parents,
      },
    };
  });

  // Releases ------------------------------------------------------------------
  github.route('POST', '/repos/:owner/:repo/releases', (req) => {
    const r = repoOf(req);
    const b = body(req);
    if (typeof b.tag_name !== 'string' || b.tag_name === '') return invalid('Invalid request.\n\n"tag_name" wasn\'t supplied.');
    if (r.releases.some((rel) => rel.tag_name === b.tag_name)) {
      return ghError(422, 'Validation Failed', { errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }] });
    }
    const full = `${req.params.owner}/${req.params.repo}`;
    if (!r.refs.has(`refs/tags/${b.tag_name}`)) {
      const target = typeof b.target_commitish === 'string' ? b.target_commitish : 'main';
      const sha = r.commits.has(target) ? target : state.peel(full, r.refs.get(`refs/heads/${target}`) ?? '');
      if (!sha) return ghError(422, 'Validation Failed', { errors: [{ resource: 'Release', code: 'invalid', field: 'target_commitish' }] });
      if (b.draft !== true) r.refs.set(`refs/tags/${b.tag_name}`, sha);
    }
    const now = state.now().toISOString();
    const rel: FakeRelease = {
      id: github.nextId(),
      tag_name: b.tag_name,
      target_commitish: typeof b.target_commitish === 'string' ? b.target_commitish : 'main',
      name: typeof b.name === 'string' ? b.name : null,
      body: typeof b.body === 'string' ? b.body : null,
      draft: b.draft === true,
      prerelease: b.prerelease === true,
      created_at: now,
      published_at: b.draft === true ? null : now,
      author: req.identity.login,
    };
    r.releases.push(rel);
    return { status: 201, body: releaseJson(req, rel) };
  });
  github.route('GET', '/repos/:owner/:repo/releases', (req) =>
    paginate(
      req,
      [...repoOf(req).releases].reverse().map((rel) => releaseJson(req, rel)),
    ),
  );
  github.route('GET', '/repos/:owner/:repo/releases/tags/:tag*', (req) => {
    const rel = repoOf(req).releases.find((x) => x.tag_name === req.params.tag && !x.draft);
    return rel ? { status: 200, body: releaseJson(req, rel) } : ghError(404, 'Not Found');
  });
  github.route('GET', '/repos/:owner/:repo/releases/:id', (req) => {
    const rel = repoOf(req).releases.find((x) => String(x.id) === req.params.id);
    return rel ? { status: 200, body: releaseJson(req, rel) } : ghError(404, 'Not Found');
  });

  return state;
}

function isAncestor(r: RepoGit, ancestor: string, sha: string): boolean {
  const seen = new Set<string>();
  const queue = [sha];
  while (queue.length > 0 && seen.size < 10_000) {
    const next = queue.shift()!;
    if (next === ancestor) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...(r.commits.get(next)?.parents ?? []));
  }
  return false;
}
