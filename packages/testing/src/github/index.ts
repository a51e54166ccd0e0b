import { FakeGitHub } from './server.js';
import { registerArtifactsRoutes, type ArtifactsState } from './routes/artifacts.js';
import { registerCollaboratorsRoutes, type CollaboratorsState } from './routes/collaborators.js';
import { registerDeploymentsRoutes, type DeploymentsState } from './routes/deployments.js';
import { registerGitRoutes, type GitState } from './routes/git.js';
import { registerIssuesRoutes, type IssuesState } from './routes/issues.js';
import { registerReviewsRoutes, type ReviewsState } from './routes/reviews.js';
import { registerStatusesRoutes, type StatusesState } from './routes/statuses.js';
import { registerWorkflowsRoutes, type WorkflowsState } from './routes/workflows.js';

export * from './server.js';

export interface FakeGitHubApi {
  server: FakeGitHub;
  issues: IssuesState;
  git: GitState;
  artifacts: ArtifactsState;
  statuses: StatusesState;
  collaborators: CollaboratorsState;
  deployments: DeploymentsState;
  workflows: WorkflowsState;
  reviews: ReviewsState;
  url: string;
  stop(): Promise<void>;
}

/** Starts the fake GitHub API on 127.0.0.1 with every route module registered. */
export async function startFakeGitHub(): Promise<FakeGitHubApi> {
  const server = new FakeGitHub();
  const issues = registerIssuesRoutes(server);
  const git = registerGitRoutes(server);
  const artifacts = registerArtifactsRoutes(server);
  const statuses = registerStatusesRoutes(server);
  const collaborators = registerCollaboratorsRoutes(server);
  const deployments = registerDeploymentsRoutes(server);
  const workflows = registerWorkflowsRoutes(server);
  const reviews = registerReviewsRoutes(server);
  const url = await server.start();
  return { server, issues, git, artifacts, statuses, collaborators, deployments, workflows, reviews, url, stop: () => server.stop() };
}
