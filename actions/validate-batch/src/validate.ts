import { MANIFEST_NAME, listingDigest, scanBatch, type BatchScan, type IgnoreRules } from './fragments.js';
import type { ManifestMode } from './inputs.js';
import { ManifestCheck, manifestProblems, parseManifest, type ManifestReport } from './manifest.js';
import { describeRecord, type Actor } from './records.js';
import type { ScopeNames } from './scope.js';
import { readScopeState, type ScopeState } from './scope-state.js';
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
  environment: string;
  names: ScopeNames;
  who: Actor;
  ignore: IgnoreRules;
  verifyManifest: ManifestMode;
  concurrency: number;
  dryRun: boolean;
}

export interface BatchValidation {
  scan: BatchScan;
  digest: string;
  manifest: { state: 'verified' | 'absent' | 'off' | 'invalid'; report?: ManifestReport };
  /** This scope's markers and claim. */
  state: ScopeState;
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
  let state: ScopeState = { others: [] };

  const scan = await scanBatch(store, checks.batchPrefix, {
    ignore: checks.ignore,
    concurrency: checks.concurrency,
    beforeTables: async ({ names }) => {
      // Markers, claims and the manifest sit at the batch root: read them only when the listing shows them.
      const reads: Promise<void>[] = [
        readScopeState(store, checks.batchPrefix, checks.names, checks.markerName, checks.environment, checks.who, names).then((s) => {
          state = s;
        }),
      ];
      if (checks.verifyManifest !== 'off' && names.has(MANIFEST_NAME)) {
        reads.push(
          store.read(`${checks.batchPrefix}${MANIFEST_NAME}`).then((got) => {
            if (got === undefined) return;
            const parsed = parseManifest(got.body, checks.batchPrefix);
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
      `${where} holds ${scan.fragmentCount} fragment(s): expected at least ${checks.minFragments} (input 'min-fragments'). Directory placeholders, marker files, 0-byte objects and ignored names are not fragments.`,
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

  const s = state as ScopeState;
  if (s.loaded) {
    const legacy =
      s.loaded.name === checks.markerName && checks.names.scope !== 'batch' ? ' (the per-batch marker of the old workflow)' : '';
    const message = `Batch ${checks.batchId} was already loaded for ${checks.names.label} ${describeRecord(s.loaded)}${legacy}.`;
    if (checks.failIfLoaded && !checks.dryRun) {
      problems.push(`${message} It must not be loaded twice; set fail-if-loaded: false to only report it.`);
    } else warnings.push(message);
  }
  for (const other of s.others) {
    warnings.push(
      `${where}${other.name} says the batch was loaded ${describeRecord(other)}: another scope than ${checks.names.label}, reported only.`,
    );
  }
  if (s.claim) warnings.push(`Batch ${checks.batchId} is claimed for ${checks.names.label} ${describeRecord(s.claim)}.`);
  if (scan.emptyTables.length > 0) {
    warnings.push(
      `Table prefix(es) with no fragments (only placeholders, markers, 0-byte or ignored objects) at ${where}: ${scan.emptyTables.join(', ')}.`,
    );
  }
  if (scan.strayRootFiles.length > 0) {
    warnings.push(`File(s) at the batch root are in no table and are not counted as fragments: ${scan.strayRootFiles.join(', ')}.`);
  }
  if (scan.empty.count > 0) {
    warnings.push(`${scan.empty.count} 0-byte object(s) are not counted as fragments: ${sampleText(scan.empty)}.`);
  }
  return { scan, digest: listingDigest(scan.tables), manifest: { state: manifestState, report }, state: s, problems, warnings };
}

export function sampleText(t: { count: number; sample: string[] }): string {
  return `${t.sample.join(', ')}${t.count > t.sample.length ? ` and ${t.count - t.sample.length} more` : ''}`;
}
