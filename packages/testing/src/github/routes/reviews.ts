import type { FakeGitHub } from '../server.js';

/** Pull request reviews (pr-dashboard's /apply gate). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ReviewsState {}

export function registerReviewsRoutes(github: FakeGitHub): ReviewsState {
  void github;
  return {};
}
