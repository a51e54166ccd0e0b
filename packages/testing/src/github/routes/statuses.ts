import type { FakeGitHub } from '../server.js';

/** Commit statuses, check runs and GraphQL comment minimizing (dashboard-update). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface StatusesState {}

export function registerStatusesRoutes(github: FakeGitHub): StatusesState {
  void github;
  return {};
}
