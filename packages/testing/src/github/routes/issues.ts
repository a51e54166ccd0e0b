import type { FakeGitHub } from '../server.js';

/** State of the issues endpoints, inspectable by tests. */
export interface IssuesState {
  placeholder?: never;
}

/** Registers the issues endpoints on the fake (to be filled by the action that needs them). */
export function registerIssuesRoutes(_github: FakeGitHub): IssuesState {
  return {};
}
