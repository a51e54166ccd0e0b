import { MANIFEST_NAME, scanBatch, type BatchScan } from './fragments.js';
import type { ManifestMode } from './inputs.js';
import { ManifestCheck, manifestProblems, parseManifest, type ManifestReport } from './manifest.js';
import { describeLoad, parseMarker, type MarkerInfo } from './marker.js';
import type { BatchStore } from './store.js';

export interface BatchChecks {
  batchId: string;
  /** The batch's key prefix, ending in '/'. */
  batchPrefix: string;
  tableFilter: string;
  expectedTables: string[];
  minFragments: number;
  failIfLoaded: boolean;
  markerName: string;
  verifyManifest: ManifestMode;
  concurrency: number;
}

export interface BatchValidation {
  scan: BatchScan;
  manifest: { state: 'verified' | 'absent' | 'off' | 'invalid'; report?: ManifestReport };
  /** The loaded marker, when the batch has one. */
  loaded?: MarkerInfo;
  problems: string[];
  warnings: string[];
}

/** Lists the batch and runs every S3 check; nothing is written. Each failed check is one sentence in `problems`. */
export async function validateBatch(store: BatchStore, checks: BatchChecks): Promise<BatchValidation> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const manifestUri = store.uri(`${checks.batchPrefix}${MANIFEST_NAME}`);
  let manifestState: BatchValidation['manifest']['state'] = checks.verifyManifest === 'off' ? 'off' : 'absent';
  let manifestCheck: ManifestCheck | undefined;
  let loaded: MarkerInfo | undefined;

  const scan = await scanBatch(store, checks.batchPrefix, {
    markerName: checks.markerName,
    concurrency: checks.concurrency,
    beforeTables: async ({ names }) => {
      // The marker and the manifest sit at the batch root: read them only when the listing shows them.
      const reads: Promise<void>[] = [];
      if (names.has(checks.markerName)) {
        reads.push(
          store.read(`${checks.batchPrefix}${checks.markerName}`).then((text) => {
            if (text !== undefined) loaded = parseMarker(text);
          }),
        );
      }
      if (checks.verifyManifest !== 'off' && names.has(MANIFEST_NAME)) {
        reads.push(
          store.read(`${checks.batchPrefix}${MANIFEST_NAME}`).then((text) => {
            if (text === undefined) return;
            const parsed = parseManifest(text, checks.batchPrefix);
            if (typeof parsed === 'string') {
              manifestState = 'invalid';
              problems.push(`${manifestUri} ${parsed}.`);
            } else {
              manifestState = 'verified';
              manifestCheck = new ManifestCheck(parsed);
            }
          }),
        );
      }
      await Promise.all(reads);
      return manifestCheck;
    },
  });

  const where = store.uri(checks.batchPrefix);
  if (scan.objectCount === 0) {
    problems.push(`Nothing exists at ${where}: check the batch-id and prefix inputs (the batch must be at {prefix}{batch-id}/).`);
  } else if (scan.fragmentCount < checks.minFragments) {
    problems.push(
      `${where} holds ${scan.fragmentCount} fragment(s): expected at least ${checks.minFragments} (input 'min-fragments'). Directory placeholders and marker files are not fragments.`,
    );
  }
  const found = [...scan.tables.keys()].sort();
  const foundText = found.length > 0 ? `the batch has ${found.join(', ')}` : 'the batch has no tables';
  if (checks.tableFilter !== '' && !scan.tables.has(checks.tableFilter)) {
    problems.push(
      `Input 'table-filter': table '${checks.tableFilter}' has no fragments at ${where}: expected one of its tables (${foundText}).`,
    );
  }
  const missingTables = checks.expectedTables.filter((t) => !scan.tables.has(t));
  if (missingTables.length > 0) {
    problems.push(
      `Input 'expected-tables': ${missingTables.map((t) => `'${t}'`).join(', ')} ${missingTables.length === 1 ? 'has' : 'have'} no fragments at ${where} (${foundText}).`,
    );
  }

  if (checks.verifyManifest === 'required' && manifestState === 'absent') {
    problems.push(`Input 'verify-manifest' is 'required' but ${manifestUri} does not exist: expected the batch to carry its manifest.`);
  }
  const report = (manifestCheck as ManifestCheck | undefined)?.report();
  if (report) problems.push(...manifestProblems(report, manifestUri));

  const marker = loaded as MarkerInfo | undefined;
  if (marker) {
    const message = `Batch ${checks.batchId} was already loaded ${describeLoad(marker)}.`;
    if (checks.failIfLoaded) problems.push(`${message} It must not be loaded twice; set fail-if-loaded: false to only report it.`);
    else warnings.push(message);
  }
  if (scan.emptyTables.length > 0) {
    warnings.push(`Table prefix(es) with no fragments (only placeholders or markers) at ${where}: ${scan.emptyTables.join(', ')}.`);
  }
  if (scan.strayRootFiles.length > 0) {
    warnings.push(`File(s) at the batch root are in no table and are not counted as fragments: ${scan.strayRootFiles.join(', ')}.`);
  }
  return { scan, manifest: { state: manifestState, report }, loaded: marker, problems, warnings };
}
