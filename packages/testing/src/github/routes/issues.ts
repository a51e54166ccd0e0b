import { ghError, paginate, userJson, type FakeGitHub, type FakeIdentity, type FakeRequest, type FakeResponse } from '../server.js';

/**
 * Issue comments, commit comments, reactions and pull requests as GitHub serves them.
 * Every JSON shape follows the REST description (@octokit/openapi): issue-comment, commit-comment,
 * reaction, pull-request, pull-request-simple, simple-user, repository.
 */

/** The maximum body GitHub accepts for a comment, in characters. */
export const MAX_COMMENT_BODY = 65_536;

export interface FakeUser {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export interface StoredComment {
  id: number;
  kind: 'issue' | 'commit';
  owner: string;
  repo: string;
  /** Issue or pull request number (issue comments). */
  issueNumber?: number;
  /** The commit (commit comments). */
  commitId?: string;
  body: string;
  user: FakeUser;
  createdAt: Date;
  updatedAt: Date;
  /** Every body the comment had, oldest first (GitHub keeps an edit history too). */
  history: string[];
}

export interface StoredReaction {
  id: number;
  commentId: number;
  content: ReactionContent;
  user: FakeUser;
  createdAt: Date;
}

export interface StoredPull {
  owner: string;
  repo: string;
  number: number;
  id: number;
  title: string;
  state: 'open' | 'closed';
  merged: boolean;
  headSha: string;
  headRef: string;
  baseRef: string;
  baseSha: string;
  user: FakeUser;
  createdAt: Date;
  updatedAt: Date;
  /** Commits that belong to the pull request (for GET /commits/{sha}/pulls); the head is always one. */
  commits: string[];
  /** The head repository's full name when the pull request comes from a fork; unset for a branch of this repository. */
  headRepo?: string;
}

export type ReactionContent = '+1' | '-1' | 'laugh' | 'confused' | 'heart' | 'hooray' | 'rocket' | 'eyes';
const REACTIONS: ReactionContent[] = ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'];

/** State of the issues endpoints, inspectable and seedable by tests. */
export interface IssuesState {
  /** Every live comment (issue and commit), by id. Deleted comments are removed. */
  comments: Map<number, StoredComment>;
  /** Ids of deleted comments, in deletion order. */
  deleted: number[];
  reactions: StoredReaction[];
  pulls: StoredPull[];
  /** Live comments on an issue or pull request, oldest first (`repository` defaults to octo-org/pipeline-demo). */
  issueComments(issueNumber: number, repository?: string): StoredComment[];
  /** Live comments on a commit, oldest first. */
  commitComments(sha: string, repository?: string): StoredComment[];
  /** Adds a comment as if someone had written it (default author: a human collaborator). */
  seedIssueComment(issueNumber: number, body: string, options?: SeedOptions): StoredComment;
  seedCommitComment(sha: string, body: string, options?: SeedOptions): StoredComment;
  /** Registers a pull request so GET pulls/{n} and GET commits/{sha}/pulls know it. */
  addPull(pull: Partial<StoredPull> & { number: number; headSha: string }, repository?: string): StoredPull;
}

export interface SeedOptions {
  repository?: string;
  user?: FakeUser;
  createdAt?: Date;
}

const DEFAULT_REPO = 'octo-org/pipeline-demo';
const HUMAN: FakeUser = { login: 'hubot', id: 9919, type: 'User' };

/** Registers the issues, commit-comment, reaction and pull-request endpoints on the fake. */
export function registerIssuesRoutes(github: FakeGitHub): IssuesState {
  const comments = new Map<number, StoredComment>();
  const deleted: number[] = [];
  const reactions: StoredReaction[] = [];
  const pulls: StoredPull[] = [];

  const split = (repository = DEFAULT_REPO) => {
    const [owner = '', repo = ''] = repository.split('/');
    return { owner, repo };
  };
  const live = (filter: (c: StoredComment) => boolean) => [...comments.values()].filter(filter).sort((a, b) => a.id - b.id);

  const addComment = (fields: Omit<StoredComment, 'id' | 'createdAt' | 'updatedAt' | 'history'>, createdAt = new Date()): StoredComment => {
    const comment: StoredComment = { ...fields, id: github.nextId(), createdAt, updatedAt: createdAt, history: [fields.body] };
    comments.set(comment.id, comment);
    return comment;
  };

  const state: IssuesState = {
    comments,
    deleted,
    reactions,
    pulls,
    issueComments: (n, repository) => {
      const { owner, repo } = split(repository);
      return live((c) => c.kind === 'issue' && c.owner === owner && c.repo === repo && c.issueNumber === n);
    },
    commitComments: (sha, repository) => {
      const { owner, repo } = split(repository);
      return live((c) => c.kind === 'commit' && c.owner === owner && c.repo === repo && c.commitId === sha);
    },
    seedIssueComment: (n, body, options = {}) =>
      addComment({ kind: 'issue', ...split(options.repository), issueNumber: n, body, user: options.user ?? HUMAN }, options.createdAt),
    seedCommitComment: (sha, body, options = {}) =>
      addComment({ kind: 'commit', ...split(options.repository), commitId: sha, body, user: options.user ?? HUMAN }, options.createdAt),
    addPull: (pull, repository) => {
      const now = new Date();
      const stored: StoredPull = {
        ...split(repository),
        id: github.nextId(),
        title: `Pull request ${pull.number}`,
        state: 'open',
        merged: false,
        headRef: `feature-${pull.number}`,
        baseRef: 'main',
        baseSha: '0000000000000000000000000000000000000000',
        user: { login: 'octocat', id: 583231, type: 'User' },
        createdAt: now,
        updatedAt: now,
        commits: [],
        ...pull,
      };
      if (!stored.commits.includes(stored.headSha)) stored.commits.push(stored.headSha);
      pulls.push(stored);
      return stored;
    },
  };

  const findPull = (req: FakeRequest, n: number) =>
    pulls.find((p) => p.owner === req.params.owner && p.repo === req.params.repo && p.number === n);

  const bodyOf = (req: FakeRequest, resource: string): string | FakeResponse => {
    const body = (req.body as { body?: unknown } | undefined)?.body;
    if (typeof body !== 'string') {
      return ghError(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
    }
    if ([...body].length > MAX_COMMENT_BODY) {
      return ghError(422, 'Validation Failed', {
        errors: [{ resource, code: 'custom', field: 'body', message: `body is too long (maximum is ${MAX_COMMENT_BODY} characters)` }],
      });
    }
    return body;
  };

  const issueNumberOf = (req: FakeRequest): number | undefined => {
    const raw = req.params.issue_number ?? req.params.pull_number ?? '';
    return /^\d+$/.test(raw) ? Number(raw) : undefined;
  };

  const commentOf = (req: FakeRequest, kind: StoredComment['kind']): StoredComment | undefined => {
    const id = Number(req.params.comment_id);
    const c = comments.get(id);
    return c && c.kind === kind && c.owner === req.params.owner && c.repo === req.params.repo ? c : undefined;
  };

  const json = (c: StoredComment, req: FakeRequest) =>
    c.kind === 'issue' ? issueCommentJson(c, req, pulls, reactions) : commitCommentJson(c, req, reactions);

  // Issue comments.
  github.route('GET', '/repos/:owner/:repo/issues/:issue_number/comments', (req) => {
    const n = issueNumberOf(req);
    if (n === undefined) return ghError(404, 'Not Found');
    const since = req.query.get('since');
    const sinceMs = since ? Date.parse(since) : NaN;
    const list = state
      .issueComments(n, `${req.params.owner}/${req.params.repo}`)
      .filter((c) => Number.isNaN(sinceMs) || c.updatedAt.getTime() >= sinceMs);
    return paginate(
      req,
      list.map((c) => json(c, req)),
    );
  });
  github.route('POST', '/repos/:owner/:repo/issues/:issue_number/comments', (req) => {
    const n = issueNumberOf(req);
    if (n === undefined) return ghError(404, 'Not Found');
    const body = bodyOf(req, 'IssueComment');
    if (typeof body !== 'string') return body;
    const c = addComment({
      kind: 'issue',
      owner: req.params.owner,
      repo: req.params.repo,
      issueNumber: n,
      body,
      user: userOf(req.identity),
    });
    return { status: 201, body: json(c, req), headers: { location: `${req.baseUrl}/repos/${c.owner}/${c.repo}/issues/comments/${c.id}` } };
  });
  github.route('GET', '/repos/:owner/:repo/issues/comments/:comment_id', (req) => {
    const c = commentOf(req, 'issue');
    return c ? { status: 200, body: json(c, req) } : ghError(404, 'Not Found');
  });
  github.route('PATCH', '/repos/:owner/:repo/issues/comments/:comment_id', (req) =>
    updateComment(req, commentOf(req, 'issue'), 'IssueComment'),
  );
  github.route('DELETE', '/repos/:owner/:repo/issues/comments/:comment_id', (req) => deleteComment(commentOf(req, 'issue')));

  // Reactions on issue comments.
  github.route('GET', '/repos/:owner/:repo/issues/comments/:comment_id/reactions', (req) => {
    const c = commentOf(req, 'issue');
    if (!c) return ghError(404, 'Not Found');
    const content = req.query.get('content');
    const list = reactions.filter((r) => r.commentId === c.id && (!content || r.content === content));
    return paginate(
      req,
      list.map((r) => reactionJson(r, req)),
    );
  });
  github.route('POST', '/repos/:owner/:repo/issues/comments/:comment_id/reactions', (req) => {
    const c = commentOf(req, 'issue');
    if (!c) return ghError(404, 'Not Found');
    const content = (req.body as { content?: unknown } | undefined)?.content;
    if (typeof content !== 'string' || !REACTIONS.includes(content as ReactionContent)) {
      return ghError(422, 'Validation Failed', { errors: [{ resource: 'Reaction', code: 'invalid', field: 'content' }] });
    }
    const user = userOf(req.identity);
    const existing = reactions.find((r) => r.commentId === c.id && r.content === content && r.user.id === user.id);
    if (existing) return { status: 200, body: reactionJson(existing, req) };
    const reaction: StoredReaction = {
      id: github.nextId(),
      commentId: c.id,
      content: content as ReactionContent,
      user,
      createdAt: new Date(),
    };
    reactions.push(reaction);
    return { status: 201, body: reactionJson(reaction, req) };
  });
  github.route('DELETE', '/repos/:owner/:repo/issues/comments/:comment_id/reactions/:reaction_id', (req) => {
    const c = commentOf(req, 'issue');
    const at = reactions.findIndex((r) => c !== undefined && r.commentId === c.id && r.id === Number(req.params.reaction_id));
    if (at < 0) return ghError(404, 'Not Found');
    reactions.splice(at, 1);
    return { status: 204 };
  });

  // Pull requests.
  github.route('GET', '/repos/:owner/:repo/pulls/:pull_number', (req) => {
    const n = issueNumberOf(req);
    const pull = n === undefined ? undefined : findPull(req, n);
    return pull ? { status: 200, body: pullJson(pull, req, state, false) } : ghError(404, 'Not Found');
  });
  // GET /repos/{owner}/{repo}/pulls: state (open|closed|all, default open), head (user:ref), base.
  github.route('GET', '/repos/:owner/:repo/pulls', (req) => {
    const wantState = req.query.get('state') ?? 'open';
    const head = req.query.get('head');
    const baseRef = req.query.get('base');
    const list = pulls
      .filter((p) => p.owner === req.params.owner && p.repo === req.params.repo)
      .filter((p) => wantState === 'all' || p.state === wantState)
      .filter((p) => !head || head === `${(p.headRepo ?? `${p.owner}/${p.repo}`).split('/')[0]}:${p.headRef}`)
      .filter((p) => !baseRef || p.baseRef === baseRef)
      .sort((a, b) => b.number - a.number);
    return paginate(
      req,
      list.map((p) => pullJson(p, req, state, true)),
    );
  });
  github.route('GET', '/repos/:owner/:repo/commits/:commit_sha/pulls', (req) => {
    const sha = req.params.commit_sha;
    const list = pulls
      .filter(
        (p) =>
          p.owner === req.params.owner &&
          p.repo === req.params.repo &&
          p.commits.some((c) => c === sha || (sha.length >= 7 && c.startsWith(sha))),
      )
      .sort((a, b) => Number(b.state === 'open') - Number(a.state === 'open') || a.number - b.number);
    return paginate(
      req,
      list.map((p) => pullJson(p, req, state, true)),
    );
  });

  // Commit comments.
  github.route('GET', '/repos/:owner/:repo/commits/:commit_sha/comments', (req) => {
    const list = state.commitComments(req.params.commit_sha, `${req.params.owner}/${req.params.repo}`);
    return paginate(
      req,
      list.map((c) => json(c, req)),
    );
  });
  github.route('POST', '/repos/:owner/:repo/commits/:commit_sha/comments', (req) => {
    if (!/^[0-9a-f]{7,40}$/i.test(req.params.commit_sha)) return ghError(422, 'No commit found for SHA: ' + req.params.commit_sha);
    const body = bodyOf(req, 'CommitComment');
    if (typeof body !== 'string') return body;
    const c = addComment({
      kind: 'commit',
      owner: req.params.owner,
      repo: req.params.repo,
      commitId: req.params.commit_sha,
      body,
      user: userOf(req.identity),
    });
    return { status: 201, body: json(c, req), headers: { location: `${req.baseUrl}/repos/${c.owner}/${c.repo}/comments/${c.id}` } };
  });
  github.route('GET', '/repos/:owner/:repo/comments/:comment_id', (req) => {
    const c = commentOf(req, 'commit');
    return c ? { status: 200, body: json(c, req) } : ghError(404, 'Not Found');
  });
  github.route('PATCH', '/repos/:owner/:repo/comments/:comment_id', (req) => updateComment(req, commentOf(req, 'commit'), 'CommitComment'));
  github.route('DELETE', '/repos/:owner/:repo/comments/:comment_id', (req) => deleteComment(commentOf(req, 'commit')));

  function updateComment(req: FakeRequest, c: StoredComment | undefined, resource: string): FakeResponse {
    if (!c) return ghError(404, 'Not Found');
    const body = bodyOf(req, resource);
    if (typeof body !== 'string') return body;
    c.body = body;
    c.updatedAt = new Date();
    c.history.push(body);
    return { status: 200, body: json(c, req) };
  }

  function deleteComment(c: StoredComment | undefined): FakeResponse {
    if (!c) return ghError(404, 'Not Found');
    comments.delete(c.id);
    deleted.push(c.id);
    for (let i = reactions.length - 1; i >= 0; i--) if (reactions[i].commentId === c.id) reactions.splice(i, 1);
    return { status: 204 };
  }

  return state;
}

function userOf(identity: FakeIdentity): FakeUser {
  return { login: identity.login, id: identity.id, type: identity.type };
}

/** GitHub's timestamps have whole seconds: `2026-11-25T10:00:00Z`. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function associationOf(user: FakeUser): string {
  if (user.type === 'Bot') return 'NONE';
  return user.login === 'octocat' ? 'OWNER' : 'MEMBER';
}

function reactionRollup(commentUrl: string, list: StoredReaction[]): Record<string, unknown> {
  const rollup: Record<string, unknown> = { url: `${commentUrl}/reactions`, total_count: list.length };
  for (const content of REACTIONS) rollup[content] = list.filter((r) => r.content === content).length;
  return rollup;
}

function issueCommentJson(c: StoredComment, req: FakeRequest, pulls: StoredPull[], reactions: StoredReaction[]): Record<string, unknown> {
  const repoApi = `${req.baseUrl}/repos/${c.owner}/${c.repo}`;
  const isPull = pulls.some((p) => p.owner === c.owner && p.repo === c.repo && p.number === c.issueNumber);
  const url = `${repoApi}/issues/comments/${c.id}`;
  return {
    id: c.id,
    node_id: `IC_kwDO${Buffer.from(String(c.id)).toString('base64url')}`,
    url,
    html_url: `${req.baseUrl}/${c.owner}/${c.repo}/${isPull ? 'pull' : 'issues'}/${c.issueNumber}#issuecomment-${c.id}`,
    body: c.body,
    user: userJson(c.user, req.baseUrl),
    created_at: isoSeconds(c.createdAt),
    updated_at: isoSeconds(c.updatedAt),
    issue_url: `${repoApi}/issues/${c.issueNumber}`,
    author_association: associationOf(c.user),
    performed_via_github_app: null,
    reactions: reactionRollup(
      url,
      reactions.filter((r) => r.commentId === c.id),
    ),
  };
}

function commitCommentJson(c: StoredComment, req: FakeRequest, reactions: StoredReaction[]): Record<string, unknown> {
  const url = `${req.baseUrl}/repos/${c.owner}/${c.repo}/comments/${c.id}`;
  return {
    html_url: `${req.baseUrl}/${c.owner}/${c.repo}/commit/${c.commitId}#commitcomment-${c.id}`,
    url,
    id: c.id,
    node_id: `CC_kwDO${Buffer.from(String(c.id)).toString('base64url')}`,
    body: c.body,
    path: null,
    position: null,
    line: null,
    commit_id: c.commitId,
    user: userJson(c.user, req.baseUrl),
    created_at: isoSeconds(c.createdAt),
    updated_at: isoSeconds(c.updatedAt),
    author_association: associationOf(c.user),
    reactions: reactionRollup(
      url,
      reactions.filter((r) => r.commentId === c.id),
    ),
  };
}

function reactionJson(r: StoredReaction, req: FakeRequest): Record<string, unknown> {
  return {
    id: r.id,
    node_id: `REA_lALO${Buffer.from(String(r.id)).toString('base64url')}`,
    user: userJson(r.user, req.baseUrl),
    content: r.content,
    created_at: isoSeconds(r.createdAt),
  };
}

/** A `repository` with every documented field. */
export function repositoryJson(owner: string, repo: string, baseUrl: string): Record<string, unknown> {
  const api = `${baseUrl}/repos/${owner}/${repo}`;
  const host = new URL(baseUrl).host;
  const stamp = '2024-01-01T00:00:00Z';
  return {
    id: 1296269,
    node_id: 'R_kgDOABPHjQ',
    name: repo,
    full_name: `${owner}/${repo}`,
    owner: userJson({ login: owner, id: 9_000_001, type: 'User' }, baseUrl),
    private: false,
    html_url: `${baseUrl}/${owner}/${repo}`,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://${host}/${owner}/${repo}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@${host}:${owner}/${repo}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${baseUrl}/${owner}/${repo}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: `${baseUrl}/${owner}/${repo}`,
    homepage: null,
    language: 'TypeScript',
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 108,
    default_branch: 'main',
    open_issues: 0,
    open_issues_count: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'public',
    license: null,
    pushed_at: stamp,
    created_at: stamp,
    updated_at: stamp,
    allow_forking: true,
    web_commit_signoff_required: false,
  };
}

/** A `pull-request` (or `pull-request-simple` for list endpoints) with every documented field. */
function headJson(p: StoredPull, repo: Record<string, unknown>, base: string): Record<string, unknown> {
  if (!p.headRepo || p.headRepo === `${p.owner}/${p.repo}`) {
    return { label: `${p.owner}:${p.headRef}`, ref: p.headRef, sha: p.headSha, user: repo.owner, repo };
  }
  const [forkOwner, forkName] = p.headRepo.split('/');
  const fork: Record<string, unknown> = { ...repositoryJson(forkOwner, forkName, base), fork: true };
  return { label: `${forkOwner}:${p.headRef}`, ref: p.headRef, sha: p.headSha, user: fork.owner, repo: fork };
}

function pullJson(p: StoredPull, req: FakeRequest, state: IssuesState, simple: boolean): Record<string, unknown> {
  const base = req.baseUrl;
  const api = `${base}/repos/${p.owner}/${p.repo}`;
  const html = `${base}/${p.owner}/${p.repo}/pull/${p.number}`;
  const repo = repositoryJson(p.owner, p.repo, base);
  const author = userJson(p.user, base);
  const ownerUser = repo.owner;
  const closed = p.state === 'closed' ? isoSeconds(p.updatedAt) : null;
  const json: Record<string, unknown> = {
    url: `${api}/pulls/${p.number}`,
    id: p.id,
    node_id: `PR_kwDO${Buffer.from(String(p.id)).toString('base64url')}`,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${p.number}`,
    commits_url: `${api}/pulls/${p.number}/commits`,
    review_comments_url: `${api}/pulls/${p.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${p.number}/comments`,
    statuses_url: `${api}/statuses/${p.headSha}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: author,
    body: null,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: isoSeconds(p.createdAt),
    updated_at: isoSeconds(p.updatedAt),
    closed_at: closed,
    merged_at: p.merged ? closed : null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: headJson(p, repo, base),
    base: { label: `${p.owner}:${p.baseRef}`, ref: p.baseRef, sha: p.baseSha, user: ownerUser, repo },
    _links: {
      self: { href: `${api}/pulls/${p.number}` },
      html: { href: html },
      issue: { href: `${api}/issues/${p.number}` },
      comments: { href: `${api}/issues/${p.number}/comments` },
      review_comments: { href: `${api}/pulls/${p.number}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${api}/pulls/${p.number}/commits` },
      statuses: { href: `${api}/statuses/${p.headSha}` },
    },
    author_association: associationOf(p.user),
    auto_merge: null,
    draft: false,
  };
  if (simple) return json;
  return {
    ...json,
    merged: p.merged,
    mergeable: p.state === 'open' ? true : null,
    rebaseable: p.state === 'open' ? true : null,
    mergeable_state: p.state === 'open' ? 'clean' : 'unknown',
    merged_by: null,
    comments: state.issueComments(p.number, `${p.owner}/${p.repo}`).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: p.commits.length,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  };
}
