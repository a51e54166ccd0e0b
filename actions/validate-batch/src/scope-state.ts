import { eachLimited } from './fragments.js';
import { isSameRun, parseRecord, type Actor, type ClaimInfo, type MarkerInfo, type ScopeFields } from './records.js';
import type { ScopeNames } from './scope.js';
import type { BatchStore } from './store.js';

export type FoundMarker = MarkerInfo & { name: string };

/** What every writing mode works on: one scope of one batch, by one run. */
export interface ScopeRequest {
  store: BatchStore;
  batchPrefix: string;
  names: ScopeNames;
  markerName: string;
  fields: ScopeFields;
  who: Actor;
  now: () => Date;
  /** The digest validation gave (recorded by claim; checked by mark-loaded when the claim has none). */
  listingDigest: string;
  dryRun: boolean;
}

/** The markers and the claim that concern one scope of a batch. */
export interface ScopeState {
  /** The marker that makes this scope loaded, when there is one. */
  loaded?: FoundMarker;
  /** Markers of the batch that do not make this scope loaded (another environment, this run's own table loads): reported only. */
  others: FoundMarker[];
  claim?: ClaimInfo & { name: string };
}

/** Object names at the batch root: markers and claims live there. */
export async function listRootNames(store: BatchStore, batchPrefix: string): Promise<Set<string>> {
  const names = new Set<string>();
  let token: string | undefined;
  do {
    const page = await store.list(batchPrefix, { delimiter: '/', token });
    for (const o of page.objects) names.add(o.key.slice(batchPrefix.length));
    token = page.next;
  } while (token);
  return names;
}

/**
 * Reads this scope's marker and claim, and the other markers that decide whether it is loaded:
 * the old per-batch marker (unless it names another environment), the environment's marker for a table,
 * and for an environment the table markers another run wrote (a partial load).
 */
export async function readScopeState(
  store: BatchStore,
  batchPrefix: string,
  names: ScopeNames,
  markerName: string,
  environment: string,
  who: Actor | undefined,
  rootNames?: Set<string>,
  readClaim = true,
): Promise<ScopeState> {
  const root = rootNames ?? (await listRootNames(store, batchPrefix));
  const state: ScopeState = { others: [] };
  const candidates = [...root].filter((n) => n === markerName || n.startsWith(`${markerName}-`)).sort();
  const markers: FoundMarker[] = [];
  await eachLimited(candidates.slice(0, 1000), 16, async (name) => {
    const got = await store.read(`${batchPrefix}${name}`);
    if (got) markers.push({ ...parseRecord(got.body, 'marker', got.etag), name });
  });
  markers.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const m of markers) {
    if (blocks(m, names, markerName, environment, who)) state.loaded ??= m;
    else state.others.push(m);
  }
  if (readClaim && root.has(names.claim)) {
    const got = await store.read(`${batchPrefix}${names.claim}`);
    if (got) state.claim = { ...parseRecord(got.body, 'claim', got.etag), name: names.claim };
  }
  return state;
}

function blocks(m: FoundMarker, names: ScopeNames, markerName: string, environment: string, who: Actor | undefined): boolean {
  if (m.name === names.marker) return true;
  if (names.scope === 'batch') return true;
  if (m.name === markerName) return m.unreadable !== undefined || m.environment === '' || m.environment === environment;
  if (m.unreadable) return false;
  if (m.environment !== environment) return false;
  // A table marker under an environment load: a partial load by another run; this run's own legs are its own work.
  if (names.scope === 'environment') return m.scope === 'table' && !(who && isSameRun(m, who));
  // A table under a loaded environment.
  return m.scope !== 'table';
}
