import type { FakeGitHub } from '../server.js';

/** Deployments and deployment statuses (promote-artifact). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DeploymentsState {}

export function registerDeploymentsRoutes(github: FakeGitHub): DeploymentsState {
  void github;
  return {};
}
