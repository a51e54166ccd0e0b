import type { FakeGitHub } from '../server.js';

/** State of the artifacts endpoints, inspectable by tests. */
export interface ArtifactsState {
  placeholder?: never;
}

/** Registers the artifacts endpoints on the fake (to be filled by the action that needs them). */
export function registerArtifactsRoutes(_github: FakeGitHub): ArtifactsState {
  return {};
}
