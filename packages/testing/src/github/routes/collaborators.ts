import type { FakeGitHub } from '../server.js';

/** Collaborator permission levels (determine-environment, run-workflow --collaborator). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CollaboratorsState {}

export function registerCollaboratorsRoutes(github: FakeGitHub): CollaboratorsState {
  void github;
  return {};
}
