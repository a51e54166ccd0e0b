import type { FakeGitHub } from '../server.js';

/** State of the git endpoints, inspectable by tests. */
export interface GitState {
  placeholder?: never;
}

/** Registers the git endpoints on the fake (to be filled by the action that needs them). */
export function registerGitRoutes(_github: FakeGitHub): GitState {
  return {};
}
