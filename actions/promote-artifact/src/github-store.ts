import { createWriteStream, promises as fs } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '@pipeline-actions/kit';
import { httpStatus, type Octokit } from '@pipeline-actions/kit/github';
import { apiError, type Repo } from './tags.js';

export interface UploadedArtifact {
  id: number;
  expiresAt: string;
  /** `sha256:<hex>` of the zip container as GitHub stores it. */
  digest: string | null;
}

/** The runner hands these to JavaScript actions; without them @actions/artifact cannot upload. */
export function checkArtifactRuntime(env: NodeJS.ProcessEnv = process.env): void {
  if (!env.ACTIONS_RUNTIME_TOKEN || !env.ACTIONS_RESULTS_URL) {
    throw new UserError(
      "store: github needs the runner's artifact service (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set): run this step in a GitHub-hosted or self-hosted Actions job, or use store: s3.",
    );
  }
}

/**
 * Uploads the archive inside the artifact service's zip container (stored, not recompressed), named after
 * the archive: `actions/download-artifact` and `gh run download` unzip it and give the user the archive file.
 */
export async function uploadGitHubArtifact(file: string, retentionDays: number | undefined, now: Date): Promise<UploadedArtifact> {
  const { DefaultArtifactClient } = await import('@actions/artifact');
  const client = new DefaultArtifactClient();
  let result: { id?: number; digest?: string };
  try {
    result = await client.uploadArtifact(basename(file), [file], dirname(file), {
      compressionLevel: 0,
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
  return {
    id: result.id,
    expiresAt: new Date(now.getTime() + days * 86_400_000).toISOString(),
    digest: result.digest ? `sha256:${result.digest.replace(/^sha256:/, '')}` : null,
  };
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
  // Only an artifact of this name counts: a record naming another artifact's id does not redirect the download.
  const named = artifacts.filter((a) => a.name === name);
  const match = named.find((a) => a.id === id) ?? named[0];
  if (!match) return { state: 'absent' };
  return match.expired ? { state: 'expired', id: match.id } : { state: 'available', id: match.id };
}

/**
 * Downloads another run's artifact (findBy) as GitHub stores it, without letting the client unzip it, into
 * `dir`; returns the file: the zip container (since v2) or the raw archive (before).
 */
export async function downloadGitHubArtifact(id: number, token: string, repo: Repo, runId: string, dir: string): Promise<string> {
  const { DefaultArtifactClient } = await import('@actions/artifact');
  const client = new DefaultArtifactClient();
  await fs.mkdir(dir, { recursive: true });
  try {
    await client.downloadArtifact(id, {
      path: dir,
      skipDecompress: true,
      findBy: { token, workflowRunId: Number(runId), repositoryOwner: repo.owner, repositoryName: repo.repo },
    });
  } catch (error) {
    const status = httpStatus(error);
    if (status === 403) throw apiError(error, `Downloading artifact ${id}`, 'actions: read');
    throw new Error(`Downloading GitHub artifact ${id} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
  const files = await fs.readdir(dir);
  if (files.length !== 1) throw new Error(`Downloading GitHub artifact ${id} gave ${files.length} files, expected one.`);
  return join(dir, files[0]);
}

/** True when the file starts with a zip local-file header. */
export async function isZip(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

/**
 * Copies the one entry `name` out of the zip container into `out`, reading at most `maxBytes` (the
 * archive's recorded size): the container cannot smuggle in more than the record allows.
 */
export async function unzipEntry(zip: string, name: string, out: string, maxBytes: number): Promise<void> {
  const yauzl = await import('yauzl');
  const open = (yauzl.default?.open ?? yauzl.open) as typeof import('yauzl').open;
  const zipfile = await new Promise<import('yauzl').ZipFile>((resolve, reject) =>
    open(zip, { lazyEntries: true, autoClose: true }, (err, z) => (err || !z ? reject(err ?? new Error('no zip')) : resolve(z))),
  );
  try {
    const entry = await new Promise<import('yauzl').Entry>((resolve, reject) => {
      zipfile.on('entry', (e: import('yauzl').Entry) => (e.fileName === name ? resolve(e) : zipfile.readEntry()));
      zipfile.on('end', () => reject(new Error(`the artifact's zip holds no ${name}`)));
      zipfile.on('error', reject);
      zipfile.readEntry();
    });
    if (entry.uncompressedSize > maxBytes)
      throw new Error(`${name} in the artifact's zip is ${entry.uncompressedSize} bytes; the record says ${maxBytes}`);
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
      zipfile.openReadStream(entry, (err, s) => (err || !s ? reject(err ?? new Error('no stream')) : resolve(s))),
    );
    await pipeline(stream, createWriteStream(out, { highWaterMark: 1 << 18 }));
  } finally {
    zipfile.close();
  }
}
