import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '@pipeline-actions/kit';
import { verifyChain, type VerifiedChain } from './chain.js';
import { outcomeFromRecord, type Deps, type Outcome } from './deps.js';
import { ExtractLimitError, extractArchive, sha256File, type ExtractLimits } from './extract.js';
import { downloadGitHubArtifact, findGitHubArtifact, isZip, unzipEntry } from './github-store.js';
import { newestOther, stageHistory } from './history.js';
import { tagName } from './naming.js';
import { parseS3Uri, type ReleaseRecord } from './record.js';

export async function fetchArtifact(deps: Deps): Promise<Outcome> {
  const { inputs, naming } = deps;
  const chain = await verifyChain(deps, naming, inputs.stage, inputs.version);
  const outcome = await fetchVerified(deps, chain, inputs.stage, inputs.version, 'fetch');
  const history = await stageHistory(deps, naming, inputs.stage);
  outcome.currentVersion = history[0]?.version ?? '';
  outcome.previousVersion = newestOther(history, inputs.version);
  return outcome;
}

/** Where the S3 copy must be: the bucket, prefix and endpoint of the inputs, never the record's. */
function expectedS3(deps: Deps, record: ReleaseRecord): { bucket: string; key: string; uri: string } | undefined {
  const { s3, service } = deps.inputs;
  if (!s3.bucket) return undefined;
  const key = `${s3.prefix}${service}/${record.artifact_name}`;
  return { bucket: s3.bucket, key, uri: `s3://${s3.bucket}/${key}` };
}

/** Refuses a record that would send the download anywhere but the store the inputs name. */
function checkStoreLocation(deps: Deps, record: ReleaseRecord, what: string, tag: string): void {
  if (!record.s3_uri) return;
  const location = parseS3Uri(record.s3_uri);
  const expected = expectedS3(deps, record);
  const problems: string[] = [];
  if (!location) problems.push(`s3_uri '${record.s3_uri}' is not an s3://bucket/key URI`);
  else if (expected && record.s3_uri !== expected.uri)
    problems.push(`its S3 copy ${record.s3_uri} is not ${expected.uri} (from 'bucket', 's3-prefix' and 'service')`);
  const endpoint = deps.inputs.s3.endpoint.replace(/\/+$/, '');
  if (record.s3_endpoint && record.s3_endpoint.replace(/\/+$/, '') !== endpoint)
    problems.push(`it names the S3 endpoint ${record.s3_endpoint}, not ${endpoint || "AWS's own"} (from 's3-endpoint')`);
  if (problems.length > 0) {
    throw new UserError(
      `Refusing ${what}: the record in tag ${tag} points outside the store this step reads: ${problems.join('; ')}. Nothing was downloaded. If the copy really moved, publish the version again; otherwise the tag is forged: delete it.`,
    );
  }
}

/** The extraction limits: the inputs, else what publish measured plus a margin for the tar structure. */
export function extractLimits(deps: Deps, record: ReleaseRecord): ExtractLimits {
  const { maxExtractBytes, maxExtractFiles } = deps.inputs;
  const bytes = record.unpacked_bytes !== undefined ? Math.ceil(record.unpacked_bytes * 1.01) + (1 << 20) : record.size * 64 + (1 << 26);
  const entries = record.entries !== undefined ? Math.ceil(record.entries * 1.01) + 16 : 1_000_000;
  return { maxBytes: maxExtractBytes ?? bytes, maxEntries: maxExtractFiles ?? entries };
}

/** Downloads, verifies against the record before a single byte is extracted, then extracts within limits. */
export async function fetchVerified(
  deps: Deps,
  chain: VerifiedChain,
  stage: string,
  version: string,
  mode: 'fetch' | 'rollback',
): Promise<Outcome> {
  const { inputs, log, naming } = deps;
  const { record } = chain;
  const what = `${stage} for ${inputs.service} ${version}`;
  checkStoreLocation(deps, record, what, chain.buildTag.tag);
  const outcome = outcomeFromRecord(mode, stage, record, version, tagName(naming, stage, version), chain.commit);

  const workDir = await fs.mkdtemp(join(deps.tempDir, 'promote-artifact-fetch-'));
  try {
    const { file, source } = await download(deps, record, workDir, what);
    outcome.source = source;
    outcome.actions.push(`downloaded ${record.artifact_name} from ${source}`);

    const got = await sha256File(file);
    if (got.sha256 !== record.sha256) {
      throw new UserError(
        `Refusing ${what}: digest mismatch for ${record.artifact_name} from ${source}: sha256 ${got.sha256} (${got.size} bytes), but the record in ${chain.buildTag.tag} says ${record.sha256} (${record.size} bytes). Nothing was extracted; the stored copy is not the artifact that was built and tested. Publish the version again.`,
      );
    }
    outcome.actions.push(`verified sha256 ${record.sha256} against ${chain.buildTag.tag}`);
    const destination = resolve(deps.ctx.workspace, inputs.destination);
    const limits = extractLimits(deps, record);
    let extracted: { files: number; bytes: number };
    try {
      extracted = await extractArchive(file, destination, record.compression ?? 'gzip', limits);
    } catch (error) {
      if (error instanceof ExtractLimitError) {
        throw new UserError(
          `Refusing ${what}: ${record.artifact_name} unpacks to more than ${error.max} ${error.limit === 'bytes' ? 'bytes' : 'entries'} (stopped at '${error.entry}'; the record says ${error.limit === 'bytes' ? `${record.unpacked_bytes ?? 'nothing about'} bytes` : `${record.entries ?? 'nothing about'} entries`}). Nothing was extracted. Raise ${error.limit === 'bytes' ? 'max-extract-bytes' : 'max-extract-files'} only if you trust this archive.`,
        );
      }
      if (error instanceof Error && /unsafe path|outside the tree|leaves the tree|only files, directories/.test(error.message))
        throw new UserError(`Refusing ${what}: ${error.message}`);
      throw error;
    }
    outcome.path = destination;
    outcome.actions.push(`extracted ${extracted.files} files (${extracted.bytes} bytes) into ${inputs.destination}`);
    log.info(`Extracted ${extracted.files} files of ${record.artifact_name} into ${destination}.`);
  } finally {
    await fs.rm(workDir, { recursive: true, force: true });
  }
  return outcome;
}

async function download(deps: Deps, record: ReleaseRecord, workDir: string, what: string): Promise<{ file: string; source: string }> {
  const { inputs, octokit, repo, log } = deps;
  const reasons: string[] = [];
  if (record.artifact_id !== null && record.artifact_id !== undefined && inputs.store !== 's3') {
    const found = await findGitHubArtifact(octokit, repo, record.run_id, record.artifact_name, record.artifact_id);
    if (found.state === 'available') {
      try {
        const raw = await downloadGitHubArtifact(found.id, inputs.token, repo, record.run_id, join(workDir, 'github'));
        const source = `GitHub artifact ${found.id} of run ${record.run_id}`;
        if (!(await isZip(raw))) return { file: raw, source };
        const file = join(workDir, record.artifact_name);
        await unzipEntry(raw, record.artifact_name, file, record.size);
        await fs.rm(raw, { force: true });
        return { file, source: `${source} (zip)` };
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
      `Cannot fetch ${what}: ${reasons.join('; ') || 'it has no GitHub artifact'} and ${record.artifact_name} has no S3 copy. Rebuild and publish it again; publishing with store: both keeps an S3 copy beyond GitHub's artifact retention.`,
    );
  }
  const expected = expectedS3(deps, record);
  if (!expected) {
    throw new UserError(
      `Cannot fetch ${what} from S3 (${reasons.join('; ') || 'store: s3'}): input 'bucket' is empty. Set bucket (and s3-prefix, s3-endpoint as at publish) to the store that holds ${record.s3_uri}.`,
    );
  }
  const s3 = await import('./s3-store.js');
  const client = await s3.s3Client(inputs.s3);
  const file = join(workDir, record.artifact_name);
  const result = await s3.downloadToFile(client, expected.bucket, expected.key, file, record.size, what);
  if (result === 'missing') {
    throw new UserError(
      `Cannot fetch ${what}: ${reasons.length ? `${reasons.join('; ')}, and ` : ''}the S3 copy ${expected.uri} does not exist (check 'bucket', 's3-prefix', 's3-endpoint' and the bucket's lifecycle rules).`,
    );
  }
  return { file, source: expected.uri };
}
