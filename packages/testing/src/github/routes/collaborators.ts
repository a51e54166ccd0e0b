import type { FakeGitHub } from '../server.js';

/** A repository role as GitHub's collaborator-permission endpoint reports it. */
export type RepositoryRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

/**
 * Collaborator permission levels (determine-environment, run-workflow --collaborator):
 * GET /repos/{owner}/{repo}/collaborators/{username}/permission.
 */
export interface CollaboratorsState {
  /** Sets a user's role on a repository (default repository: octo-org/pipeline-demo). */
  set(login: string, role: RepositoryRole, repository?: string): void;
}

export function registerCollaboratorsRoutes(github: FakeGitHub): CollaboratorsState {
  void github;
  return { set: () => undefined };
}
