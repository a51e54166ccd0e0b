import { InputReader, type InputGetter } from '@pipeline-actions/kit';

export type Mode = 'publish' | 'fetch' | 'mark' | 'latest' | 'rollback';
export type Store = 'github' | 's3' | 'both';
export type TagFormat = 'service' | 'plain';
export type Compression = 'gzip' | 'zstd' | 'none';

/** Level ranges and defaults per compression (zstd's usual default is 3). */
export const COMPRESSION_LEVELS: Record<Compression, { min: number; max: number; default: number }> = {
  gzip: { min: 1, max: 9, default: 6 },
  zstd: { min: 1, max: 19, default: 3 },
  none: { min: 0, max: 0, default: 0 },
};

export const DEFAULT_VERSION_PATTERN = '^[0-9a-f]{7,40}-\\d{8}-\\d{6}$';

export interface S3Options {
  bucket: string;
  prefix: string;
  region: string;
  endpoint: string;
  forcePathStyle: boolean;
}

export interface Inputs {
  mode: Mode;
  service: string;
  /** Empty for publish without a version (computed) and for latest. */
  version: string;
  versionPattern: RegExp;
  /** publish: patterns to pack. */
  patterns: string[];
  /** publish: directory whose contents sit at the archive root (relative to the workspace); '' = the workspace. */
  root: string;
  /** Explicit tag format; undefined = detect from the repository's tags. */
  tagFormat: TagFormat | undefined;
  /** GitHub environment of the deployments; '' = the stage name. */
  environment: string;
  compression: Compression;
  /** Byte and file limits while extracting; undefined = from the record, with a margin. */
  maxExtractBytes: number | undefined;
  maxExtractFiles: number | undefined;
  /** fetch: destination directory. */
  destination: string;
  stage: string;
  stages: string[];
  store: Store;
  s3: S3Options;
  retentionDays: number | undefined;
  compressionLevel: number;
  token: string;
  notes: string;
  release: boolean;
}

const SERVICE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const STAGE_RE = /^[a-z0-9][a-z0-9_-]*$/i;

export function getInputs(get?: InputGetter): Inputs {
  const r = new InputReader(get);
  const mode = r.enumeration<Mode>('mode', ['publish', 'fetch', 'mark', 'latest', 'rollback']);
  const service = r.string('service', { required: true, pattern: SERVICE_RE, form: 'a name of letters, digits, ., _ and - (e.g. api)' });

  const patternText = r.string('version-pattern', { default: DEFAULT_VERSION_PATTERN }) || DEFAULT_VERSION_PATTERN;
  let versionPattern = new RegExp(DEFAULT_VERSION_PATTERN);
  try {
    versionPattern = new RegExp(patternText);
  } catch (error) {
    r.fail('version-pattern', `'${patternText}' is not a valid regular expression (${(error as Error).message}).`);
  }

  const version = r.string('version', { required: mode === 'fetch' || mode === 'mark', form: 'a version such as 84fb588-20250120-143022' });
  if (version !== '' && !versionPattern.test(version)) {
    r.fail('version', `'${version}' does not match ${patternText}: expected {sha7}-{YYYYMMDD-HHMMSS} such as 84fb588-20250120-143022.`);
  } else if (version !== '' && !/^[A-Za-z0-9._-]+$/.test(version)) {
    r.fail('version', `'${version}' cannot be used in a tag or file name: expected letters, digits, ., _ and -.`);
  }

  const stages = r.list('stages', { default: ['build', 'qa', 'prod'] });
  const seen = new Set<string>();
  for (const s of stages) {
    if (!STAGE_RE.test(s)) r.fail('stages', `'${s}' is not a valid stage name: expected letters, digits, _ and -.`);
    if (seen.has(s)) r.fail('stages', `'${s}' appears twice: expected each stage once, in promotion order.`);
    seen.add(s);
  }
  if (stages.length < 1) r.fail('stages', 'is empty: expected the promotion order such as build, qa, prod.');

  const promotes = mode === 'mark' || mode === 'rollback';
  let stage = r.string('stage', { required: promotes, form: `one of the stages (${stages.join(', ')})` });
  if (stage === '' && (mode === 'fetch' || mode === 'latest')) stage = stages[0] ?? '';
  if (mode === 'publish') stage = stages[0] ?? '';
  else if (stage !== '' && !stages.includes(stage)) {
    r.fail('stage', `'${stage}' is not one of the stages: ${stages.join(', ')} (set 'stages' to change the order).`);
  } else if (promotes && stage === stages[0]) {
    r.fail(
      'stage',
      `'${stage}' is the first stage: mode 'publish' creates its tags; ${mode} one of ${stages.slice(1).join(', ') || '(no later stage)'}.`,
    );
  }

  const pathText = r.raw('path');
  const patterns =
    mode === 'publish'
      ? pathText
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter((l) => l !== '' && !l.startsWith('#'))
      : [];
  if (mode === 'publish' && patterns.length === 0 && r.raw('root') === '')
    r.fail('path', "is required for publish (or set 'root'): expected files, directories or globs to pack, one a line.");
  const destinations = pathText
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const extracts = mode === 'fetch' || mode === 'rollback';
  if (extracts && destinations.length > 1) r.fail('path', `for ${mode} is one destination directory, not a list.`);
  const destination = extracts ? (destinations[0] ?? 'artifact') : '';
  const root = r.string('root').replace(/\/+$/, '');
  if (root !== '' && (root.startsWith('/') || root.split('/').includes('..')))
    r.fail('root', `'${root}' is not a directory inside the workspace: expected a relative path such as build or dist/site.`);
  const formatText = r.raw('tag-format');
  const tagFormat = formatText === '' || formatText === 'auto' ? undefined : r.enumeration<TagFormat>('tag-format', ['service', 'plain']);
  const environment = r.string('environment', {
    pattern: /^[^\s'"`]{1,255}$/,
    form: 'a GitHub environment name such as production (empty = the stage name)',
  });
  const compression = r.enumeration<Compression>('compression', ['gzip', 'zstd', 'none'], { default: 'gzip' });
  const levels = COMPRESSION_LEVELS[compression];
  const compressionLevel =
    compression === 'none' ? 0 : r.integer('compression-level', { default: levels.default, min: levels.min, max: levels.max });
  const maxExtractBytes = r.raw('max-extract-bytes') === '' ? undefined : r.integer('max-extract-bytes', { min: 1 });
  const maxExtractFiles = r.raw('max-extract-files') === '' ? undefined : r.integer('max-extract-files', { min: 1 });

  const store = r.enumeration<Store>('store', ['github', 's3', 'both'], { default: 'github' });
  const bucket = r.string('bucket');
  if (mode === 'publish' && store !== 'github' && bucket === '')
    r.fail('bucket', `is required with store: ${store}: expected the S3 bucket name.`);
  let prefix = r.raw('s3-prefix');
  if (prefix !== '' && !prefix.endsWith('/')) prefix += '/';
  prefix = prefix.replace(/^\/+/, '');

  const s3: S3Options = {
    bucket,
    prefix,
    region: r.string('aws-region'),
    endpoint: r.string('s3-endpoint'),
    forcePathStyle: r.boolean('s3-force-path-style'),
  };
  if (s3.endpoint !== '' && !/^https?:\/\//.test(s3.endpoint))
    r.fail('s3-endpoint', `'${s3.endpoint}' is not a URL: expected http(s)://host[:port].`);

  const retention = r.raw('retention-days');
  const retentionDays = retention === '' ? undefined : r.integer('retention-days', { min: 1, max: 90 });
  const token = r.secret('token');
  if (token === '') r.fail('token', 'is required: expected a GitHub token (the default is ${{ github.token }}).');
  const notes = r.raw('notes');
  const release = r.boolean('release', { default: true });
  r.done();

  return {
    mode,
    service,
    version,
    versionPattern,
    patterns,
    root,
    tagFormat,
    environment,
    compression,
    maxExtractBytes,
    maxExtractFiles,
    destination,
    stage,
    stages,
    store,
    s3,
    retentionDays,
    compressionLevel,
    token,
    notes,
    release,
  };
}
