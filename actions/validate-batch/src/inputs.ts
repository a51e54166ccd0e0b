import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputReader, envInput, type InputGetter } from '@pipeline-actions/kit';
import { DEFAULT_BATCH_ID_PATTERN, checkBatchId, compileBatchIdPattern } from './batch-id.js';
import { checkBatchSize, checkProject } from './request-checks.js';

export type Mode = 'validate' | 'mark-loaded';
export type ManifestMode = 'auto' | 'required' | 'off';

export interface Inputs {
  mode: Mode;
  batchId: string;
  project: string;
  allowedProjects: string[];
  /** Undefined when no batch-size was given. */
  batchSize?: number;
  batchSizeMin: number;
  batchSizeMax: number;
  bucket: string;
  /** Empty or ending in '/'. */
  prefix: string;
  tableFilter: string;
  expectedTables: string[];
  minFragments: number;
  failIfLoaded: boolean;
  markerName: string;
  environment: string;
  verifyManifest: ManifestMode;
  concurrency: number;
  summaryFile: string;
  dryRun: boolean;
  s3: { region: string; endpoint: string; forcePathStyle: boolean };
}

/** Reads and checks every input; all problems are thrown together by `done()`. */
export function getInputs(get: InputGetter = envInput, now: Date = new Date(), env: NodeJS.ProcessEnv = process.env): Inputs {
  const reader = new InputReader(get);
  const mode = reader.enumeration<Mode>('mode', ['validate', 'mark-loaded'], { default: 'validate' });
  const bucket = reader.string('bucket');
  if (/^s3:\/\//i.test(bucket) || /[/\s]/.test(bucket)) {
    reader.fail(
      'bucket',
      `'${bucket}' is not a bucket name: expected just the name, e.g. my-data-bucket (no s3:// and no path; use prefix for the path).`,
    );
  }

  const batchIdNeeded = bucket !== '' || mode === 'mark-loaded';
  const batchId = reader.string('batch-id', {
    required: batchIdNeeded,
    form: `a batch id such as batch_20241101_120000 (needed when ${mode === 'mark-loaded' ? 'mode is mark-loaded' : 'bucket is set'})`,
  });
  const patternText = reader.raw('batch-id-pattern') || DEFAULT_BATCH_ID_PATTERN;
  const pattern = compileBatchIdPattern(patternText);
  if (typeof pattern === 'string') {
    reader.fail(
      'batch-id-pattern',
      `'${patternText}' is not a valid regular expression (${pattern}): expected a JavaScript regular expression.`,
    );
  } else if (batchId !== '') {
    for (const problem of checkBatchId(batchId, pattern, patternText === DEFAULT_BATCH_ID_PATTERN, now)) reader.fail('batch-id', problem);
  }

  const project = reader.string('project');
  const allowedProjects = reader.list('allowed-projects');
  const projectProblem = checkProject(project, allowedProjects);
  if (projectProblem) reader.fail('project', projectProblem);

  const batchSizeMin = reader.integer('batch-size-min', { default: 1, min: 0 });
  const batchSizeMax = reader.integer('batch-size-max', { default: 200, min: 0 });
  if (batchSizeMin > batchSizeMax) {
    reader.fail(
      'batch-size-max',
      `${batchSizeMax} is less than batch-size-min (${batchSizeMin}): expected batch-size-min <= batch-size-max.`,
    );
  }
  const batchSizeRaw = reader.raw('batch-size');
  let batchSize: number | undefined;
  if (batchSizeRaw !== '') {
    const problem = checkBatchSize(batchSizeRaw, batchSizeMin, batchSizeMax);
    if (problem) reader.fail('batch-size', problem);
    else batchSize = Number(batchSizeRaw);
  }

  const prefix = normalisePrefix(reader.raw('prefix') === '' ? 'validated/' : reader.raw('prefix'));
  if (prefix.split('/').some((segment) => segment === '.' || segment === '..')) {
    reader.fail('prefix', `'${reader.raw('prefix')}' has a '.' or '..' segment: expected a key prefix such as validated/.`);
  }

  const tableFilter = reader.string('table-filter');
  if (tableFilter.includes('/'))
    reader.fail('table-filter', `'${tableFilter}' has a '/': expected one table name (the first path segment in the batch).`);
  const expectedTables = [...new Set(reader.list('expected-tables'))];
  const nested = expectedTables.filter((t) => t.includes('/'));
  if (nested.length > 0)
    reader.fail('expected-tables', `${nested.map((t) => `'${t}'`).join(', ')} has a '/': expected table names (first path segments).`);
  const minFragments = reader.integer('min-fragments', { default: 1, min: 0 });

  const failIfLoaded = reader.boolean('fail-if-loaded', { default: true });
  const markerName = reader.string('marker-name', { default: '.loaded' });
  if (markerName.includes('/') || markerName === '.' || markerName === '..' || markerName === 'manifest.json') {
    reader.fail('marker-name', `'${markerName}' cannot name the marker: expected a file name without '/', such as .loaded.`);
  }
  const environment = reader.string('environment');
  const verifyManifest = reader.enumeration<ManifestMode>('verify-manifest', ['auto', 'required', 'off'], { default: 'auto' });
  const concurrency = reader.integer('concurrency', { default: 16, min: 1, max: 64 });
  const dryRun = reader.boolean('dry-run');

  const region = reader.string('aws-region');
  const endpoint = reader.string('s3-endpoint');
  if (endpoint !== '' && !isHttpUrl(endpoint)) {
    reader.fail('s3-endpoint', `'${endpoint}' is not a URL: expected http(s)://host[:port], e.g. https://s3.example.com.`);
  }
  const forcePathStyle = reader.boolean('s3-force-path-style');
  const summaryFile = reader.string('summary-file') || defaultSummaryFile(env);

  reader.done();
  return {
    mode,
    batchId,
    project,
    allowedProjects,
    batchSize,
    batchSizeMin,
    batchSizeMax,
    bucket,
    prefix,
    tableFilter,
    expectedTables,
    minFragments,
    failIfLoaded,
    markerName,
    environment,
    verifyManifest,
    concurrency,
    summaryFile,
    dryRun,
    s3: { region, endpoint, forcePathStyle },
  };
}

export function defaultSummaryFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.RUNNER_TEMP || tmpdir(), 'batch-summary.md');
}

/** 'validated' and '/validated/' both mean 'validated/'; '' and '/' mean the bucket root. */
export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/^\/+/, '');
  if (trimmed === '') return '';
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
