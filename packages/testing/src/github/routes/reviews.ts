import { ghError, paginate, userJson, type FakeGitHub, type FakeRequest, type FakeResponse } from '../server.js';
import { isoSeconds } from './issues.js';

export interface StoredReview {
  pullNumber: number;
  login: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';
  commitId: string;
}

/** Pull request reviews (pr-dashboard's /apply gate): GET /repos/{owner}/{repo}/pulls/{n}/reviews. */
export interface ReviewsState {
  add(review: StoredReview, repository?: string): void;
  /** Every review, oldest first (seeded ones and those created through the API). */
  reviews: ReadonlyArray<Readonly<Review>>;
}

interface Review extends Omit<StoredReview, 'state'> {
  id: number;
  repository: string;
  state: StoredReview['state'] | 'PENDING';
  body: string;
  userId: number;
  userType: 'User' | 'Bot';
  submittedAt: Date;
}

const DEFAULT_REPO = 'octo-org/pipeline-demo';
const EVENTS: Record<string, StoredReview['state']> = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED' };

/** A stable user id for a seeded login (GitHub ids are positive integers). */
function idOf(login: string): number {
  let hash = 7;
  for (const c of login) hash = (hash * 31 + c.charCodeAt(0)) % 9_000_000;
  return 1_000_000 + hash;
}

/**
 * GET and POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews in GitHub's `pull-request-review` shape. A review
 * without `event` is PENDING (and not listed to others, as on GitHub); `commit_id` defaults to the pull request's head.
 */
export function registerReviewsRoutes(github: FakeGitHub): ReviewsState {
  const reviews: Review[] = [];
  const repoOf = (req: FakeRequest) => `${req.params.owner}/${req.params.repo}`;

  /** The pull request as the pulls route serves it (404 when the repository has no such pull request). */
  const pullOf = async (req: FakeRequest): Promise<{ head: { sha: string } } | undefined> => {
    const response = await fetch(`${req.baseUrl}/repos/${repoOf(req)}/pulls/${req.params.pull_number}`, {
      headers: { authorization: 'token ghs_writetoken' },
    });
    return response.status === 200 ? ((await response.json()) as { head: { sha: string } }) : undefined;
  };

  const json = (review: Review, req: FakeRequest): Record<string, unknown> => {
    const pullUrl = `${req.baseUrl}/repos/${review.repository}/pulls/${review.pullNumber}`;
    const htmlUrl = `${req.baseUrl}/${review.repository}/pull/${review.pullNumber}#pullrequestreview-${review.id}`;
    return {
      id: review.id,
      node_id: `PRR_${Buffer.from(String(review.id)).toString('base64url')}`,
      user: userJson({ login: review.login, id: review.userId, type: review.userType }, req.baseUrl),
      body: review.body,
      state: review.state,
      html_url: htmlUrl,
      pull_request_url: pullUrl,
      _links: { html: { href: htmlUrl }, pull_request: { href: pullUrl } },
      ...(review.state === 'PENDING' ? {} : { submitted_at: isoSeconds(review.submittedAt) }),
      commit_id: review.commitId,
      author_association: review.userType === 'Bot' ? 'NONE' : 'MEMBER',
    };
  };

  github.route('GET', '/repos/:owner/:repo/pulls/:pull_number/reviews', async (req): Promise<FakeResponse> => {
    if (!(await pullOf(req))) return ghError(404, 'Not Found');
    const number = Number(req.params.pull_number);
    const visible = reviews.filter(
      (r) => r.repository === repoOf(req) && r.pullNumber === number && (r.state !== 'PENDING' || r.login === req.identity.login),
    );
    return paginate(
      req,
      visible.map((r) => json(r, req)),
    );
  });

  github.route(
    'POST',
    '/repos/:owner/:repo/pulls/:pull_number/reviews',
    async (req): Promise<FakeResponse> => {
      const pull = await pullOf(req);
      if (!pull) return ghError(404, 'Not Found');
      const body = (req.body ?? {}) as { commit_id?: unknown; body?: unknown; event?: unknown };
      const event = body.event === undefined ? undefined : String(body.event);
      if (event !== undefined && !(event in EVENTS)) {
        return ghError(422, 'Invalid request.\n\nNo subschema in "anyOf" matched.\n"event" is not a permitted value.');
      }
      if ((event === 'REQUEST_CHANGES' || event === 'COMMENT') && (typeof body.body !== 'string' || body.body === '')) {
        return ghError(422, 'Unprocessable Entity', {
          errors: [`Review Can not ${event === 'COMMENT' ? 'comment' : 'request changes'} without a body`],
        });
      }
      const review: Review = {
        id: github.nextId(),
        repository: repoOf(req),
        pullNumber: Number(req.params.pull_number),
        login: req.identity.login,
        userId: req.identity.id,
        userType: req.identity.type,
        state: event === undefined ? 'PENDING' : EVENTS[event],
        commitId: typeof body.commit_id === 'string' && body.commit_id !== '' ? body.commit_id : pull.head.sha,
        body: typeof body.body === 'string' ? body.body : '',
        submittedAt: new Date(),
      };
      reviews.push(review);
      return { status: 200, body: json(review, req) };
    },
    { scopes: ['pull-requests'] },
  );

  return {
    reviews,
    add: (stored, repository = DEFAULT_REPO) =>
      reviews.push({
        ...stored,
        id: github.nextId(),
        repository,
        body: '',
        userId: idOf(stored.login),
        userType: stored.login.endsWith('[bot]') ? 'Bot' : 'User',
        submittedAt: new Date(),
      }),
  };
}
