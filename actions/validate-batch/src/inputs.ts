import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputReader, splitList, type InputGetter } from '@pipeline-actions/kit';
import { DEFAULT_BATCH_ID_PATTERN, checkBatchId, compileBatchIdPattern } from './batch-id.js';
import { DEFAULT_IGNORE } from './fragments.js';
import { GITHUB_MATRIX_LIMIT } from './matrix.js';
import type { Scope } from './scope.js';
import { checkBatchSize, checkProject } from './request-checks.js';

export type Mode = 'validate' | 'claim' | 'mark-loaded' | 'release';
export type ManifestMode = 'auto' | 'required' | 'off';

/** The modes that write to the store, and so need the batch and its scope named. */
const WRITE_MODES: readonly Mode[] = ['claim', 'mark-loaded', 'release'];
/** An environment or table becomes part of an object name. */
const NAME_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

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
  /** The tables the claim and marker cover with scope table (a matrix leg's group in the writing modes); [tableFilter] otherwise. */
  tables: string[];
  expectedTables: string[];
  minFragments: number;
  failIfLoaded: boolean;
  markerName: string;
  environment: string;
  /** The scope in effect: 'environment' without an environment falls back to 'batch' in validate mode. */
  scope: Scope;
  claimTtlMinutes: number;
  requireClaim: boolean;
  listingDigest: string;
  matrixSize: number;
  ignore: string[];
  verifyManifest: ManifestMode;
  concurrency: number;
  timeoutSeconds: number;
  summaryFile: string;
  /** True when summary-file was given (a failed write of the default file is only a warning). */
  summaryFileGiven: boolean;
  dryRun: boolean;
  token: string;
  s3: { region: string; endpoint: string; forcePathStyle: boolean };
}

/** Inputs as the runner passes them to the process: untrimmed, so surrounding whitespace can be refused. */
export const untrimmedInput: InputGetter = (name) => process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';

/** Reads and checks every input; all problems are thrown together by `done()`. */
export function getInputs(get: InputGetter = untrimmedInput, now: Date = new Date(), env: NodeJS.ProcessEnv = process.env): Inputs {
  const reader = new InputReader((name) => get(name).trim());
  // The runner hands inputs to other steps and to `concurrency:` untrimmed: 'batch_1 ' would be another batch there.
  for (const name of ['batch-id', 'project', 'batch-size', 'environment', 'table-filter']) {
    const value = get(name);
    if (value !== value.trim()) {
      reader.fail(
        name,
        `${JSON.stringify(value)} has whitespace around it: expected the value alone, e.g. ${JSON.stringify(value.trim())}.`,
      );
    }
  }
  const mode = reader.enumeration<Mode>('mode', ['validate', 'claim', 'mark-loaded', 'release'], { default: 'validate' });
  const writes = WRITE_MODES.includes(mode);
  const bucket = reader.string('bucket', { required: writes, form: `the bucket holding the batch (needed when mode is ${mode})` });
  if (/^s3:\/\//i.test(bucket) || /[/\s]/.test(bucket)) {
    reader.fail(
      'bucket',
      `'${bucket}' is not a bucket name: expected just the name, e.g. my-data-bucket (no s3:// and no path; use prefix for the path).`,
    );
  }

  const batchIdNeeded = bucket !== '' || writes;
  const batchId = reader.string('batch-id', {
    required: batchIdNeeded,
    form: `a batch id such as batch_20241101_120000 (needed when ${writes ? `mode is ${mode}` : 'bucket is set'})`,
  });
  const patternText = reader.raw('batch-id-pattern') || DEFAULT_BATCH_ID_PATTERN;
  const pattern = compileBatchIdPattern(patternText);
  if (typeof pattern === 'string') {
    reader.fail(
      'batch-id-pattern',
      `'${patternText}' is not a valid regular expression (${pattern}): expected an RE2 regular expression (no backreferences or lookaround).`,
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
  if (!/^\.[A-Za-z0-9._-]+$/.test(markerName) || markerName === '..') {
    reader.fail(
      'marker-name',
      `'${markerName}' cannot name the marker: expected a file name starting with '.', without '/', such as .loaded.`,
    );
  }
  const environment = reader.string('environment');
  let scope = reader.enumeration<Scope>('scope', ['environment', 'batch', 'table'], { default: 'environment' });
  if (scope !== 'batch') {
    if (environment === '') {
      // The runner passes the default scope like a given one: validate without an environment reads per batch.
      if (writes || scope === 'table') {
        reader.fail(
          'environment',
          `is required with scope: ${scope}: expected the environment the batch is loaded into, e.g. production (or scope: batch for one marker per batch).`,
        );
      } else scope = 'batch';
    } else if (!NAME_SEGMENT.test(environment)) {
      reader.fail(
        'environment',
        `'${environment}' becomes part of the marker's name: expected letters, digits, '.', '_' or '-', e.g. production.`,
      );
    }
  }
  // A matrix leg loads a group of tables: in the writing modes, scope table takes a list and claims each.
  const tables = scope === 'table' && writes ? [...new Set(splitList(tableFilter))].sort() : [tableFilter];
  if (scope === 'table') {
    if (tableFilter === '') reader.fail('table-filter', 'is required with scope: table: expected the table this job loads, e.g. orders.');
    const bad = tables.filter((table) => !NAME_SEGMENT.test(table));
    if (tableFilter !== '' && bad.length > 0) {
      reader.fail(
        'table-filter',
        `${bad.map((b) => `'${b}'`).join(', ')} becomes part of the marker's name with scope: table: expected ${writes ? 'table names' : 'one table name'} of letters, digits, '.', '_' or '-'${writes ? ', comma separated' : ''}.`,
      );
    }
  }
  const claimTtlMinutes = reader.integer('claim-ttl-minutes', { default: 360, min: 1, max: 60 * 24 * 30 });
  const requireClaim = reader.boolean('require-claim', { default: true });
  const listingDigest = reader.string('listing-digest');
  if (listingDigest !== '' && !/^sha256:[0-9a-f]{64}$/.test(listingDigest)) {
    reader.fail(
      'listing-digest',
      `'${listingDigest}' is not a listing digest: expected the listing-digest output of mode: validate (sha256:<64 hex digits>).`,
    );
  }
  const matrixSize = reader.integer('matrix-size', { default: 20, min: 1, max: GITHUB_MATRIX_LIMIT });
  const ignore = reader.raw('ignore') === '' ? DEFAULT_IGNORE : reader.list('ignore');
  const badIgnore = ignore.filter((entry) => entry === '/' || entry.slice(0, -1).includes('/'));
  if (badIgnore.length > 0) {
    reader.fail(
      'ignore',
      `${badIgnore.map((e) => `'${e}'`).join(', ')}: expected file names (_SUCCESS) or directory names ending in '/' (_temporary/), one path segment each.`,
    );
  }
  const verifyManifest = reader.enumeration<ManifestMode>('verify-manifest', ['auto', 'required', 'off'], { default: 'auto' });
  const concurrency = reader.integer('concurrency', { default: 16, min: 1, max: 64 });
  const timeoutSeconds = reader.integer('timeout-seconds', { default: 30, min: 1, max: 600 });
  const dryRun = reader.boolean('dry-run');
  const token = reader.secret('token');

  const region = reader.string('aws-region');
  const endpoint = reader.string('s3-endpoint');
  if (endpoint !== '' && !isHttpUrl(endpoint)) {
    reader.fail('s3-endpoint', `'${endpoint}' is not a URL: expected http(s)://host[:port], e.g. https://s3.example.com.`);
  }
  const forcePathStyle = reader.boolean('s3-force-path-style');
  const summaryFileGiven = reader.string('summary-file') !== '';
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
    tables,
    expectedTables,
    minFragments,
    failIfLoaded,
    markerName,
    environment,
    scope,
    claimTtlMinutes,
    requireClaim,
    listingDigest,
    matrixSize,
    ignore,
    verifyManifest,
    concurrency,
    timeoutSeconds,
    summaryFile,
    summaryFileGiven,
    dryRun,
    token,
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
