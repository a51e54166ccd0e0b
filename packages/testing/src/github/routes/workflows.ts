import type { FakeGitHub } from '../server.js';

/** Workflows, workflow_dispatch and workflow runs and jobs (dispatch-workflow). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface WorkflowsState {}

export function registerWorkflowsRoutes(github: FakeGitHub): WorkflowsState {
  void github;
  return {};
}
