import type { FakeGitHub } from '../server.js';

export interface StoredReview {
  pullNumber: number;
  login: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';
  commitId: string;
}

/** Pull request reviews (pr-dashboard's /apply gate): GET /repos/{owner}/{repo}/pulls/{n}/reviews. */
export interface ReviewsState {
  add(review: StoredReview, repository?: string): void;
}

export function registerReviewsRoutes(github: FakeGitHub): ReviewsState {
  void github;
  return { add: () => undefined };
}
