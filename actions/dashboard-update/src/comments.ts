import { httpStatus, type Octokit } from '@pipeline-actions/kit/github';

/** A comment as the dashboard logic needs it. */
export interface DashboardComment {
  id: number;
  body: string;
  url: string;
  login: string;
  userType: string;
  createdAt: string;
}

/** Where dashboards live: the comments of one pull request (or issue), or of one commit. */
export interface CommentStore {
  readonly kind: 'issue' | 'commit';
  /** Every comment, oldest first (all pages). */
  list(): Promise<DashboardComment[]>;
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
  body?: string | null;
  html_url: string;
  user: { login: string; type: string } | null;
  created_at: string;
}

function toComment(c: ApiComment): DashboardComment {
  return {
    id: c.id,
    body: c.body ?? '',
    url: c.html_url,
    login: c.user?.login ?? '',
    userType: c.user?.type ?? '',
    createdAt: c.created_at,
  };
}

async function orUndefinedOn404<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw error;
  }
}

/** Comments of a pull request or issue (the issue comments API serves both). */
export function issueCommentStore(octokit: Octokit, owner: string, repo: string, issueNumber: number): CommentStore {
  return {
    kind: 'issue',
    list: async () =>
      (await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 })).map((c) =>
        toComment(c as ApiComment),
      ),
    get: (id) =>
      orUndefinedOn404(async () => toComment((await octokit.rest.issues.getComment({ owner, repo, comment_id: id })).data as ApiComment)),
    create: async (body) =>
      toComment((await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body })).data as ApiComment),
    update: (id, body) =>
      orUndefinedOn404(async () =>
        toComment((await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body })).data as ApiComment),
      ),
    remove: async (id) => (await orUndefinedOn404(() => octokit.rest.issues.deleteComment({ owner, repo, comment_id: id }))) !== undefined,
  };
}

/** Comments of a commit (for a push without a pull request). */
export function commitCommentStore(octokit: Octokit, owner: string, repo: string, sha: string): CommentStore {
  return {
    kind: 'commit',
    list: async () =>
      (await octokit.paginate(octokit.rest.repos.listCommentsForCommit, { owner, repo, commit_sha: sha, per_page: 100 })).map((c) =>
        toComment(c as ApiComment),
      ),
    get: (id) =>
      orUndefinedOn404(async () =>
        toComment((await octokit.rest.repos.getCommitComment({ owner, repo, comment_id: id })).data as ApiComment),
      ),
    create: async (body) =>
      toComment((await octokit.rest.repos.createCommitComment({ owner, repo, commit_sha: sha, body })).data as ApiComment),
    update: (id, body) =>
      orUndefinedOn404(async () =>
        toComment((await octokit.rest.repos.updateCommitComment({ owner, repo, comment_id: id, body })).data as ApiComment),
      ),
    remove: async (id) =>
      (await orUndefinedOn404(() => octokit.rest.repos.deleteCommitComment({ owner, repo, comment_id: id }))) !== undefined,
  };
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
 * (403): they write as github-actions[bot], so no request is spent on them. Other tokens ask GET /user,
 * and a 403 there also means an installation token.
 */
export async function resolveIdentity(octokit: Octokit, token: string): Promise<Identity> {
  if (token.startsWith('ghs_')) return { login: ACTIONS_BOT, installation: true };
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return { login: data.login, installation: false };
  } catch (error) {
    if (httpStatus(error) === 403) return { login: ACTIONS_BOT, installation: true };
    throw error;
  }
}

/**
 * True when the comment was written by the token's identity. An installation token's identity is
 * inferred (GET /user is refused), and a GitHub App other than github-actions writes as `<app>[bot]`:
 * so for installation tokens any bot account counts. People are never bots, so no person's comment
 * that copies the marker is ever taken for the dashboard.
 */
export function isOwnComment(comment: DashboardComment, identity: Identity): boolean {
  if (comment.login === identity.login) return true;
  return identity.installation && comment.userType === 'Bot';
}
