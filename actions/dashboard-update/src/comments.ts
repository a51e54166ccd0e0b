import { httpStatus, type Octokit } from '@pipeline-actions/kit/github';
import { apiFailure } from './api-error.js';

/** A comment as the dashboard logic needs it. */
export interface DashboardComment {
  id: number;
  nodeId: string;
  body: string;
  url: string;
  login: string;
  userType: string;
  createdAt: string;
}

export interface CommentPage {
  comments: DashboardComment[];
  /** The last page number (from the Link header's rel="last"; the page itself when there is none). */
  last: number;
}

/** Where dashboards live: the comments of one pull request (or issue), or of one commit. */
export interface CommentStore {
  readonly kind: 'issue' | 'commit';
  /** One page of 100 comments, oldest first within the page. */
  page(n: number): Promise<CommentPage>;
  /** One comment; undefined when it no longer exists. */
  get(id: number): Promise<DashboardComment | undefined>;
  create(body: string): Promise<DashboardComment>;
  /** Undefined when the comment no longer exists. */
  update(id: number, body: string): Promise<DashboardComment | undefined>;
  /** False when the comment was already gone. */
  remove(id: number): Promise<boolean>;
}

interface ApiComment {
  id: number;
  node_id: string;
  body?: string | null;
  html_url: string;
  user: { login: string; type: string } | null;
  created_at: string;
}

function toComment(c: ApiComment): DashboardComment {
  return {
    id: c.id,
    nodeId: c.node_id,
    body: c.body ?? '',
    url: c.html_url,
    login: c.user?.login ?? '',
    userType: c.user?.type ?? '',
    createdAt: c.created_at,
  };
}

function lastPage(link: string | undefined, current: number): number {
  const m = /<[^>]*[?&]page=(\d+)[^>]*>;\s*rel="last"/.exec(link ?? '');
  return m ? Number(m[1]) : current;
}

/** Runs one API call; errors name the call and GitHub's status. A 404 is `undefined` where asked. */
async function call<T>(name: string, fn: () => Promise<T>, on404?: () => T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (on404 && httpStatus(error) === 404 && (error as { response?: unknown }).response) return on404();
    throw apiFailure(name, error);
  }
}

// Comment writes are never re-sent by a plugin: a body computed before a wait is stale after it.
const NO_RESEND = { request: { retries: 0 } };

/** Comments of a pull request or issue (the issue comments API serves both). */
export function issueCommentStore(octokit: Octokit, owner: string, repo: string, issueNumber: number): CommentStore {
  const base = `/repos/${owner}/${repo}/issues`;
  return {
    kind: 'issue',
    page: (n) =>
      call(`GET ${base}/${issueNumber}/comments?page=${n}`, async () => {
        const res = await octokit.rest.issues.listComments({ owner, repo, issue_number: issueNumber, per_page: 100, page: n });
        return { comments: res.data.map((c) => toComment(c as ApiComment)), last: lastPage(res.headers.link, n) };
      }),
    get: (id) =>
      call(
        `GET ${base}/comments/${id}`,
        async () => toComment((await octokit.rest.issues.getComment({ owner, repo, comment_id: id })).data as ApiComment),
        () => undefined,
      ),
    create: (body) =>
      call(`POST ${base}/${issueNumber}/comments`, async () =>
        toComment(
          (await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body, ...NO_RESEND })).data as ApiComment,
        ),
      ),
    update: (id, body) =>
      call(
        `PATCH ${base}/comments/${id}`,
        async () =>
          toComment((await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body, ...NO_RESEND })).data as ApiComment),
        () => undefined,
      ),
    remove: (id) =>
      call(
        `DELETE ${base}/comments/${id}`,
        async () => (await octokit.rest.issues.deleteComment({ owner, repo, comment_id: id }), true),
        () => false,
      ),
  };
}

/** Comments of a commit (for a push without a pull request). */
export function commitCommentStore(octokit: Octokit, owner: string, repo: string, sha: string): CommentStore {
  const base = `/repos/${owner}/${repo}`;
  return {
    kind: 'commit',
    page: (n) =>
      call(`GET ${base}/commits/${sha}/comments?page=${n}`, async () => {
        const res = await octokit.rest.repos.listCommentsForCommit({ owner, repo, commit_sha: sha, per_page: 100, page: n });
        return { comments: res.data.map((c) => toComment(c as ApiComment)), last: lastPage(res.headers.link, n) };
      }),
    get: (id) =>
      call(
        `GET ${base}/comments/${id}`,
        async () => toComment((await octokit.rest.repos.getCommitComment({ owner, repo, comment_id: id })).data as ApiComment),
        () => undefined,
      ),
    create: (body) =>
      call(`POST ${base}/commits/${sha}/comments`, async () =>
        toComment((await octokit.rest.repos.createCommitComment({ owner, repo, commit_sha: sha, body, ...NO_RESEND })).data as ApiComment),
      ),
    update: (id, body) =>
      call(
        `PATCH ${base}/comments/${id}`,
        async () =>
          toComment((await octokit.rest.repos.updateCommitComment({ owner, repo, comment_id: id, body, ...NO_RESEND })).data as ApiComment),
        () => undefined,
      ),
    remove: (id) =>
      call(
        `DELETE ${base}/comments/${id}`,
        async () => (await octokit.rest.repos.deleteCommitComment({ owner, repo, comment_id: id }), true),
        () => false,
      ),
  };
}

/** Hides a comment as outdated (GraphQL minimizeComment). */
export async function minimizeOutdated(octokit: Octokit, nodeId: string): Promise<void> {
  await call('POST /graphql (minimizeComment)', () =>
    octokit.graphql(
      'mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }',
      {
        id: nodeId,
      },
    ),
  );
}

/** Who the token writes as. */
export interface Identity {
  login: string;
  /** An installation token (GITHUB_TOKEN or a GitHub App's): GET /user is refused for it. */
  installation: boolean;
}

export const ACTIONS_BOT = 'github-actions[bot]';

/**
 * The token's identity. Installation tokens (`ghs_`, what GITHUB_TOKEN is) cannot call GET /user
 * (403): they write as github-actions[bot], so no request is spent on them.
 */
export async function resolveIdentity(octokit: Octokit, token: string): Promise<Identity> {
  if (token.startsWith('ghs_')) return { login: ACTIONS_BOT, installation: true };
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return { login: data.login, installation: false };
  } catch (error) {
    if (httpStatus(error) === 403) return { login: ACTIONS_BOT, installation: true };
    throw apiFailure('GET /user', error);
  }
}

/**
 * True when the comment was written by the token's identity; for installation tokens any bot account
 * counts (a GitHub App writes as `<app>[bot]`). People are never bots, so a person's copy of the
 * marker is never taken for the dashboard.
 */
export function isOwnComment(comment: DashboardComment, identity: Identity): boolean {
  if (comment.login === identity.login) return true;
  return identity.installation && comment.userType === 'Bot';
}
