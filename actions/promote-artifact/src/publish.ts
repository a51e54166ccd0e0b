import { createWriteStream, promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { UserError } from '@pipeline-actions/kit';
import * as glob from '@actions/glob';
import { outcomeFromRecord, type Deps, type Outcome } from './deps.js';
import { checkArtifactRuntime, uploadGitHubArtifact } from './github-store.js';
import { sha256File } from './extract.js';
import { newestOther, stageHistory } from './history.js';
import { artifactName, tagName } from './naming.js';
import { collectEntries, packArchive, teeWritable } from './pack.js';
import { formatRecord, parseRecord, RECORD_SCHEMA, type ReleaseRecord } from './record.js';
import { createAnnotatedTag, getTag } from './tags.js';
import { computeVersion } from './version.js';

export async function publish(deps: Deps): Promise<Outcome> {
  const { inputs, ctx, octokit, repo, log, naming } = deps;
  const now = deps.now();
  if (!/^[0-9a-f]{40}$/.test(ctx.sha))
    throw new UserError(`GITHUB_SHA '${ctx.sha}' is not a commit sha; publish must run in a workflow job.`);
  const version = inputs.version || computeVersion(ctx.sha, now);
  if (!inputs.versionPattern.test(version)) {
    throw new UserError(
      `The computed version ${version} does not match version-pattern ${inputs.versionPattern.source}; set 'version' explicitly.`,
    );
  }
  const first = inputs.stages[0];
  const tag = tagName(naming, first, version);
  const name = artifactName(inputs.service, version, inputs.compression);
  const what = `${inputs.service} ${version}`;
  if (inputs.store !== 's3') checkArtifactRuntime();

  // Validate before writing anything: a tag on another commit is a conflict.
  const existing = await getTag(octokit, repo, tag);
  if (existing && existing.commit !== ctx.sha) {
    throw new UserError(
      `Refusing to publish ${what}: tag ${tag} already exists on commit ${existing.commit.slice(0, 7)}, not on ${ctx.sha.slice(0, 7)}: version ${version} belongs to another build. Nothing was uploaded or tagged; publish a new version (leave 'version' empty to compute one).`,
    );
  }

  // With 'root', the archive holds the directory's contents at its top (as tar -C root .).
  const base = inputs.root ? resolve(ctx.workspace, inputs.root) : ctx.workspace;
  const patterns = inputs.patterns.length > 0 ? inputs.patterns : [base];
  const globber = await glob.create(patterns.join('\n'), {
    matchDirectories: true,
    implicitDescendants: true,
    followSymbolicLinks: false,
  });
  const matched = await globber.glob();
  const entries = await collectEntries(matched, base);
  if (!entries.some((e) => e.type === 'file')) {
    throw new UserError(
      `Input 'path': ${patterns.map((p) => `'${p}'`).join(', ')} matched no files in ${base}: expected files, directories or globs to pack${inputs.root ? " inside 'root'" : ''}.`,
    );
  }

  const workDir = await fs.mkdtemp(join(deps.tempDir, 'promote-artifact-'));
  const file = join(workDir, name);
  const useS3 = inputs.store !== 'github';
  const useGitHub = inputs.store !== 's3';
  const key = `${inputs.s3.prefix}${inputs.service}/${name}`;
  const s3Uri = useS3 ? `s3://${inputs.s3.bucket}/${key}` : null;
  const outcome = outcomeFromRecord('publish', first, undefined, version, tag, ctx.sha);
  outcome.artifactName = name;
  outcome.path = file;

  if (existing) {
    // A re-run of the same build: the bytes must be the ones already recorded.
    const record = parseRecord(existing.message);
    const packed = await packArchive(entries, createWriteStream(file), inputs.compression, inputs.compressionLevel);
    if (!record)
      throw new UserError(
        `Refusing to publish ${what}: tag ${tag} exists on this commit but carries no release record; delete it or publish a new version.`,
      );
    if (record.service !== inputs.service) {
      throw new UserError(
        `Refusing to publish ${what}: tag ${tag} holds service ${record.service}'s build. Tags named {stage}-{version} are shared by every service: set tag-format: service to name them ${inputs.stages[0]}-${inputs.service}-{version}.`,
      );
    }
    if (record.sha256 !== packed.sha256) {
      throw new UserError(
        `Refusing to publish ${what}: tag ${tag} already records sha256 ${record.sha256}, but these files pack to ${packed.sha256}: a version is immutable. Publish a new version (leave 'version' empty to compute one).`,
      );
    }
    log.info(`${tag} already exists on this commit with the same sha256: nothing to do (re-run).`);
    return {
      ...outcomeFromRecord('publish', first, record, version, tag, ctx.sha),
      path: file,
      previousVersion: newestOther(await stageHistory(deps, naming, first), version),
      actions: [`${tag} already published with the same bytes (re-run): nothing uploaded`],
    };
  }

  log.info(`Packing ${entries.length} entries into ${name} ...`);
  const targets: Writable[] = [createWriteStream(file, { highWaterMark: 1 << 18 })];
  let s3Upload: Promise<void> = Promise.resolve();
  let client: Awaited<ReturnType<typeof import('./s3-store.js').s3Client>> | undefined;
  const s3 = useS3 ? await import('./s3-store.js') : undefined;
  if (s3) {
    client = await s3.s3Client(inputs.s3);
    const body = new PassThrough({ highWaterMark: 1 << 18 });
    targets.push(body);
    const type = { gzip: 'application/gzip', zstd: 'application/zstd', none: 'application/x-tar' }[inputs.compression];
    s3Upload = s3.uploadStream(client, inputs.s3.bucket, key, body, type).catch((error: unknown) => {
      body.destroy(error as Error);
      throw error;
    });
  }
  let packed: Awaited<ReturnType<typeof packArchive>>;
  try {
    [packed] = await Promise.all([packArchive(entries, teeWritable(targets), inputs.compression, inputs.compressionLevel), s3Upload]);
  } catch (error) {
    await s3Upload.catch(() => undefined);
    throw error;
  }
  log.info(
    `Packed ${packed.files} files (${packed.unpackedBytes} bytes) into ${packed.size} bytes (${inputs.compression}), sha256 ${packed.sha256}.`,
  );
  if (s3) outcome.actions.push(`uploaded ${s3Uri} (multipart, streamed)`);

  let artifactId: number | null = null;
  let expiresAt: string | null = null;
  let artifactDigest: string | null = null;
  if (useGitHub) {
    const uploaded = await uploadGitHubArtifact(file, inputs.retentionDays, now);
    artifactId = uploaded.id;
    expiresAt = uploaded.expiresAt;
    artifactDigest = uploaded.digest;
    outcome.actions.push(`uploaded GitHub artifact ${name} (id ${uploaded.id}, expires ${uploaded.expiresAt.slice(0, 10)})`);
    // Guard against a changed file between packing and upload.
    const check = await sha256File(file);
    if (check.sha256 !== packed.sha256)
      throw new Error(`The tarball changed on disk during upload (sha256 ${check.sha256}, packed ${packed.sha256}).`);
  }

  const record: ReleaseRecord = {
    schema: RECORD_SCHEMA,
    version,
    service: inputs.service,
    repository: ctx.repository,
    commit: ctx.sha,
    run_id: ctx.runId,
    run_attempt: ctx.runAttempt,
    workflow: ctx.workflow,
    artifact_name: name,
    artifact_id: artifactId,
    artifact_form: artifactId === null ? undefined : 'zip',
    artifact_digest: artifactDigest,
    sha256: packed.sha256,
    size: packed.size,
    compression: inputs.compression,
    unpacked_bytes: packed.unpackedBytes,
    entries: packed.entries,
    s3_uri: s3Uri,
    s3_endpoint: useS3 && inputs.s3.endpoint ? inputs.s3.endpoint : null,
    created_at: now.toISOString(),
    expires_at: expiresAt,
    store: inputs.store,
  };
  if (s3 && client) {
    await s3.putJson(client, inputs.s3.bucket, `${key}.json`, formatRecord(record));
    outcome.actions.push(`wrote the record s3://${inputs.s3.bucket}/${key}.json`);
  }

  const result = await createAnnotatedTag(octokit, repo, tag, formatRecord(record), ctx.sha);
  outcome.actions.push(result.created ? `created tag ${tag} on ${ctx.sha.slice(0, 7)}` : `tag ${tag} already on ${ctx.sha.slice(0, 7)}`);
  return {
    ...outcome,
    ...outcomeFromRecord('publish', first, record, version, tag, ctx.sha),
    path: file,
    actions: outcome.actions,
    previousVersion: newestOther(await stageHistory(deps, naming, first), version),
  };
}
