import { FakeGitHub } from './server.js';
import { registerArtifactsRoutes, type ArtifactsState } from './routes/artifacts.js';
import { registerGitRoutes, type GitState } from './routes/git.js';
import { registerIssuesRoutes, type IssuesState } from './routes/issues.js';

export * from './server.js';

export interface FakeGitHubApi {
  server: FakeGitHub;
  issues: IssuesState;
  git: GitState;
  artifacts: ArtifactsState;
  url: string;
  stop(): Promise<void>;
}

/** Starts the fake GitHub API on 127.0.0.1 with every route module registered. */
export async function startFakeGitHub(): Promise<FakeGitHubApi> {
  const server = new FakeGitHub();
  const issues = registerIssuesRoutes(server);
  const git = registerGitRoutes(server);
  const artifacts = registerArtifactsRoutes(server);
  const url = await server.start();
  return { server, issues, git, artifacts, url, stop: () => server.stop() };
}
