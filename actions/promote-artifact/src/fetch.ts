import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '@pipeline-actions/kit';
import { previousVersion, verifyChain } from './chain.js';
import { outcomeFromRecord, type Deps, type Outcome } from './deps.js';
import { extractTarGz, sha256File } from './extract.js';
import { downloadGitHubArtifact, findGitHubArtifact } from './github-store.js';
import { parseS3Uri, type ReleaseRecord } from './record.js';
import { stageTag } from './version.js';

export async function fetchArtifact(deps: Deps): Promise<Outcome> {
  const { inputs, octokit, repo, log } = deps;
  const { version, stage } = inputs;
  const chain = await verifyChain(octokit, repo, inputs.stages, stage, version);
  const { record } = chain;
  const outcome = outcomeFromRecord('fetch', stage, record, version, stageTag(stage, version), chain.commit);

  const workDir = await fs.mkdtemp(join(deps.tempDir, 'promote-artifact-fetch-'));
  try {
    const { file, source } = await download(deps, record, workDir);
    outcome.source = source;
    outcome.actions.push(`downloaded ${record.artifact_name} from ${source}`);

    // Verify before a single byte is extracted.
    const got = await sha256File(file);
    if (got.sha256 !== record.sha256) {
      throw new UserError(
        `Digest mismatch for ${record.artifact_name} from ${source}: sha256 ${got.sha256} (${got.size} bytes), but the record in ${chain.buildTag.tag} says ${record.sha256} (${record.size} bytes). Nothing was extracted; the stored copy is not the artifact that was built and tested.`,
      );
    }
    outcome.actions.push(`verified sha256 ${record.sha256} against ${chain.buildTag.tag}`);
    const destination = resolve(deps.ctx.workspace, inputs.destination);
    const { files } = await extractTarGz(file, destination);
    outcome.path = destination;
    outcome.actions.push(`extracted ${files} files into ${inputs.destination}`);
    log.info(`Extracted ${files} files of ${record.artifact_name} into ${destination}.`);
  } finally {
    await fs.rm(workDir, { recursive: true, force: true });
  }
  outcome.previousVersion = await previousVersion(octokit, repo, stage, inputs.versionPattern, version);
  return outcome;
}

async function download(deps: Deps, record: ReleaseRecord, workDir: string): Promise<{ file: string; source: string }> {
  const { inputs, octokit, repo, log } = deps;
  const reasons: string[] = [];
  if (record.artifact_id !== null && record.artifact_id !== undefined && inputs.store !== 's3') {
    const found = await findGitHubArtifact(octokit, repo, record.run_id, record.artifact_name, record.artifact_id);
    if (found.state === 'available') {
      try {
        const file = await downloadGitHubArtifact(found.id, inputs.token, repo, record.run_id, join(workDir, 'github'), record.sha256);
        return { file, source: `GitHub artifact ${found.id} of run ${record.run_id}` };
      } catch (error) {
        if (error instanceof UserError || !record.s3_uri) throw error;
        log.warning(`Downloading GitHub artifact ${found.id} failed (${(error as Error).message}); falling back to S3.`);
        reasons.push(`the GitHub download failed`);
      }
    } else {
      reasons.push(
        found.state === 'expired'
          ? `GitHub artifact ${found.id} of run ${record.run_id} has expired`
          : `run ${record.run_id} no longer has the GitHub artifact`,
      );
      if (record.s3_uri) log.info(`${reasons[0]}; using the S3 copy ${record.s3_uri}.`);
    }
  }
  if (!record.s3_uri) {
    throw new UserError(
      `${record.artifact_name} cannot be fetched: ${reasons.join('; ') || 'it has no GitHub artifact'} and it has no S3 copy. Rebuild and publish it again; publishing with store: both keeps an S3 copy beyond GitHub's artifact retention.`,
    );
  }
  const location = parseS3Uri(record.s3_uri);
  if (!location) throw new UserError(`The record's s3_uri '${record.s3_uri}' is not an s3://bucket/key URI.`);
  const s3 = await import('./s3-store.js');
  const client = await s3.s3Client(inputs.s3, record.s3_endpoint ?? undefined);
  const file = join(workDir, record.artifact_name);
  const result = await s3.downloadToFile(client, location.bucket, location.key, file);
  if (result === 'missing') {
    throw new UserError(
      `${record.artifact_name} cannot be fetched: ${reasons.length ? `${reasons.join('; ')}, and ` : ''}the S3 copy ${record.s3_uri} does not exist (check 'bucket', 's3-endpoint' and the bucket's lifecycle rules).`,
    );
  }
  return { file, source: record.s3_uri };
}
