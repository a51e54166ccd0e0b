import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '@pipeline-actions/kit';
import { httpStatus, type Octokit } from '@pipeline-actions/kit/github';
import { apiError, type Repo } from './tags.js';

export interface UploadedArtifact {
  id: number;
  expiresAt: string;
}

/** The runner hands these to JavaScript actions; without them @actions/artifact cannot upload. */
export function checkArtifactRuntime(env: NodeJS.ProcessEnv = process.env): void {
  if (!env.ACTIONS_RUNTIME_TOKEN || !env.ACTIONS_RESULTS_URL) {
    throw new UserError(
      "store: github needs the runner's artifact service (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set): run this step in a GitHub-hosted or self-hosted Actions job, or use store: s3.",
    );
  }
}

/** Uploads the tarball as it is (no zip around it) through @actions/artifact, loaded only here. */
export async function uploadGitHubArtifact(file: string, retentionDays: number | undefined, now: Date): Promise<UploadedArtifact> {
  const { DefaultArtifactClient } = await import('@actions/artifact');
  const client = new DefaultArtifactClient();
  let result: { id?: number };
  try {
    result = await client.uploadArtifact(basename(file), [file], dirname(file), {
      skipArchive: true,
      ...(retentionDays ? { retentionDays } : {}),
    });
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/already exists/i.test(message)) {
      throw new UserError(
        `An artifact named ${basename(file)} already exists in this workflow run: each version is published once (a re-run attempt needs a new version).`,
      );
    }
    throw new Error(`Uploading the GitHub artifact ${basename(file)} failed: ${message}`, { cause: error });
  }
  if (!result.id) throw new Error(`Uploading the GitHub artifact ${basename(file)} returned no artifact id.`);
  const days = retentionDays ?? (Number(process.env.GITHUB_RETENTION_DAYS) || 90);
  return { id: result.id, expiresAt: new Date(now.getTime() + days * 86_400_000).toISOString() };
}

export type GitHubArtifactState = { state: 'available'; id: number } | { state: 'expired' | 'absent'; id?: number };

/** Looks the artifact up in the run that built it. */
export async function findGitHubArtifact(
  octokit: Octokit,
  repo: Repo,
  runId: string,
  name: string,
  id: number | null,
): Promise<GitHubArtifactState> {
  let artifacts: { id: number; name: string; expired: boolean }[];
  try {
    const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({ ...repo, run_id: Number(runId), name, per_page: 100 });
    artifacts = data.artifacts;
  } catch (error) {
    if (httpStatus(error) === 404) return { state: 'absent' };
    throw apiError(error, `Listing the artifacts of run ${runId}`, 'actions: read');
  }
  const match = artifacts.find((a) => a.id === id) ?? artifacts.find((a) => a.name === name);
  if (!match) return { state: 'absent' };
  return match.expired ? { state: 'expired', id: match.id } : { state: 'available', id: match.id };
}

/** Downloads the raw tarball of another run's artifact (findBy) into `dir`; returns the file path. */
export async function downloadGitHubArtifact(
  id: number,
  token: string,
  repo: Repo,
  runId: string,
  dir: string,
  expectedSha256: string,
): Promise<string> {
  const { DefaultArtifactClient } = await import('@actions/artifact');
  const client = new DefaultArtifactClient();
  await fs.mkdir(dir, { recursive: true });
  try {
    await client.downloadArtifact(id, {
      path: dir,
      skipDecompress: true,
      expectedHash: `sha256:${expectedSha256}`,
      findBy: { token, workflowRunId: Number(runId), repositoryOwner: repo.owner, repositoryName: repo.repo },
    });
  } catch (error) {
    const status = httpStatus(error);
    if (status === 403) throw apiError(error, `Downloading artifact ${id}`, 'actions: read');
    throw new Error(`Downloading GitHub artifact ${id} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
  const files = await fs.readdir(dir);
  if (files.length !== 1) throw new Error(`Downloading GitHub artifact ${id} gave ${files.length} files, expected the one tarball.`);
  return join(dir, files[0]);
}
