import * as core from '@actions/core';
import { readRunContext } from '@pipeline-actions/kit';
import { claimBatch } from './claim.js';
import { ignoreRules, listingDigest, scanBatch } from './fragments.js';
import type { Inputs } from './inputs.js';
import { markLoaded, releaseClaim } from './mark.js';
import { balanceMatrix, type MatrixLeg } from './matrix.js';
import { actorOf, describeRecord, type Actor, type ClaimInfo, type MarkerInfo, type ScopeFields } from './records.js';
import { githubRunStatus } from './run-status.js';
import { scopeNames, type ScopeNames } from './scope.js';
import type { BatchStore } from './store.js';
import { validateBatch, type BatchValidation } from './validate.js';

/** What a mode decided: the outputs and the summary are written from it. */
export interface ModeReport {
  /** One line for the summary's title: 'valid', 'claimed', 'marked loaded'... */
  verdict: string;
  /** The `valid` output. */
  ok: boolean;
  problems: string[];
  warnings: string[];
  rows: [string, string][];
  validation?: BatchValidation;
  matrix?: MatrixLeg[];
  digest?: string;
  loaded?: MarkerInfo;
  claim?: ClaimInfo;
  /** True when this run holds the claim (claim mode) or a claim exists (validate mode). */
  claimed: boolean;
}

export interface ModeContext {
  store: BatchStore;
  inputs: Inputs;
  batchPrefix: string;
  names: ScopeNames;
  fields: ScopeFields;
  who: Actor;
  /** What the tables of one step share: the batch is listed once for the digest however many tables are marked. */
  shared: { digest?: Promise<string> };
}

export function modeContext(
  store: BatchStore,
  inputs: Inputs,
  batchPrefix: string,
  table = inputs.tables[0],
  shared: ModeContext['shared'] = {},
): ModeContext {
  if (inputs.scope !== 'table') table = '';
  return {
    store,
    inputs,
    batchPrefix,
    names: scopeNames(inputs.scope, inputs.markerName, inputs.environment, table),
    fields: { batchId: inputs.batchId, scope: inputs.scope, environment: inputs.environment, table },
    who: actorOf(readRunContext()),
    shared,
  };
}

const blank = (verdict: string, ok: boolean): ModeReport => ({ verdict, ok, problems: [], warnings: [], rows: [], claimed: false });

export async function runValidate(c: ModeContext): Promise<ModeReport> {
  const { inputs } = c;
  core.info(`Listing ${c.store.uri(c.batchPrefix)} (tables in parallel, ${inputs.concurrency} requests at most).`);
  const validation = await validateBatch(c.store, {
    ...inputs,
    batchPrefix: c.batchPrefix,
    names: c.names,
    who: c.who,
    ignore: ignoreRules(inputs.ignore),
  });
  const s = validation.scan;
  core.info(
    `Found ${s.fragmentCount} fragment(s) in ${s.tables.size} table(s), ${s.totalBytes} bytes, with ${s.listRequests} list request(s).`,
  );
  const report = blank(validation.problems.length === 0 ? 'valid' : 'invalid', validation.problems.length === 0);
  report.problems.push(...validation.problems);
  report.warnings.push(...validation.warnings);
  report.validation = validation;
  report.digest = validation.digest;
  report.matrix = balanceMatrix(s.tables, inputs.matrixSize);
  report.loaded = validation.state.loaded;
  report.claim = validation.state.claim;
  report.claimed = validation.state.claim !== undefined;
  return report;
}

export async function runClaim(c: ModeContext): Promise<ModeReport> {
  const { inputs } = c;
  if (!c.who.runId) throw new Error('GITHUB_RUN_ID is not set: a claim must name the workflow run that holds it.');
  const ctx = readRunContext();
  const result = await claimBatch({
    ...c,
    markerName: inputs.markerName,
    now: () => new Date(),
    ttlMinutes: inputs.claimTtlMinutes,
    listingDigest: inputs.listingDigest,
    dryRun: inputs.dryRun,
    runStatus: githubRunStatus(ctx.apiUrl, inputs.token, inputs.timeoutSeconds * 1000),
  });
  const claimUri = c.store.uri(`${c.batchPrefix}${c.names.claim}`);
  const batch = `Batch ${inputs.batchId}`;
  let report: ModeReport;
  switch (result.outcome) {
    case 'claimed':
    case 'reclaimed':
    case 'taken-over':
      report = blank(
        result.outcome === 'claimed'
          ? 'claimed'
          : result.outcome === 'reclaimed'
            ? 'claim taken back by this run'
            : 'expired claim taken over',
        true,
      );
      report.claim = result.claim;
      report.claimed = true;
      core.info(`${batch} is claimed for ${c.names.label} by this run: ${claimUri} (claim ${result.claim.claimId}).`);
      if (result.outcome === 'taken-over') report.warnings.push(`${batch}: ${result.notes.at(-1)}`);
      break;
    case 'loaded':
      report = blank('already loaded, not claimed', false);
      report.loaded = result.marker;
      report.problems.push(
        `${batch} was already loaded for ${c.names.label} ${describeRecord(result.marker)}: it is not claimed, so it is not loaded again.`,
      );
      break;
    case 'held':
      report = blank('claimed by another run', false);
      report.claim = result.claim;
      report.problems.push(
        `${batch} is claimed for ${c.names.label} ${describeRecord(result.claim)}, and ${result.reason}: it is not claimed again. Wait for that run, or clear a stuck claim as the README says (${claimUri}).`,
      );
      break;
    case 'dry-run':
      report = blank('would be claimed (dry run)', true);
      report.claim = result.existing;
      core.info(`Dry run: would create ${claimUri} (If-None-Match: *).`);
      if (result.existing) report.warnings.push(`Dry run: ${batch} is claimed ${describeRecord(result.existing)}.`);
      break;
  }
  report.warnings.push(...result.notes.filter((n) => !report.warnings.some((w) => w.endsWith(n))));
  report.rows.push(['Claim', claimUri]);
  report.digest = report.claim?.listingDigest || inputs.listingDigest;
  return report;
}

export async function runMarkLoaded(c: ModeContext): Promise<ModeReport> {
  const { inputs, store } = c;
  if (!c.who.runId) core.warning('GITHUB_RUN_ID is not set: a re-run of this job will not be recognised as the same run.');
  const result = await markLoaded({
    ...c,
    markerName: inputs.markerName,
    now: () => new Date(),
    requireClaim: inputs.requireClaim,
    listingDigest: inputs.listingDigest,
    dryRun: inputs.dryRun,
    currentDigest: () =>
      (c.shared.digest ??= scanBatch(store, c.batchPrefix, { ignore: ignoreRules(inputs.ignore), concurrency: inputs.concurrency }).then(
        (scan) => listingDigest(scan.tables),
      )),
  });
  const markerUri = store.uri(`${c.batchPrefix}${c.names.marker}`);
  const batch = `Batch ${inputs.batchId}`;
  let report: ModeReport;
  switch (result.outcome) {
    case 'created':
      report = blank('marked loaded', true);
      report.loaded = result.marker;
      core.info(`Marked ${markerUri} loaded by ${result.marker.by} at ${result.marker.at}; the claim is dropped.`);
      break;
    case 'rerun':
      report = blank('already marked by this run (re-run)', true);
      report.loaded = result.marker;
      core.info(`${markerUri} was already written by this workflow run (${result.marker.workflowRun}): treating this as a re-run.`);
      break;
    case 'dry-run':
      report = blank('would be marked loaded (dry run)', true);
      core.info(`Dry run: would create ${markerUri} (If-None-Match: *).`);
      break;
    case 'already-loaded': {
      report = blank('not marked', false);
      report.loaded = result.marker;
      const message = `${batch} was already loaded for ${c.names.label} ${describeRecord(result.marker)}; this run (${c.who.runId || 'unknown'}) did not mark it again.`;
      if (inputs.failIfLoaded) report.problems.push(`${message} Loading a batch twice is refused.`);
      else {
        report.ok = true;
        report.warnings.push(message);
      }
      break;
    }
    case 'no-claim':
      report = blank('not marked: no claim', false);
      report.claim = result.claim;
      report.problems.push(
        result.claim
          ? `${batch} is claimed for ${c.names.label} ${describeRecord(result.claim)}, not by this run (${c.who.runId || 'unknown'}): only the run that holds the claim marks the batch loaded.`
          : `This run (${c.who.runId || 'unknown'}) holds no claim on ${batch} for ${c.names.label}: run mode: claim before the load (or set require-claim: false for a workflow without a claim step).`,
      );
      break;
    case 'changed':
      report = blank('not marked: the batch changed', false);
      report.claim = result.claim;
      report.problems.push(
        `${batch} changed since it was validated (listing digest ${result.expected} then, ${result.actual} now): what was approved is not what is in S3, so it is not marked loaded. The claim is kept; release it once the load is checked.`,
      );
      break;
  }
  report.warnings.push(...result.notes);
  report.rows.push(['Marker', markerUri]);
  if ('claim' in result && result.claim) report.claim = result.claim;
  return report;
}

export async function runRelease(c: ModeContext): Promise<ModeReport> {
  const claimUri = c.store.uri(`${c.batchPrefix}${c.names.claim}`);
  const result = await releaseClaim(c.store, `${c.batchPrefix}${c.names.claim}`, c.who, c.inputs.dryRun);
  let report: ModeReport;
  switch (result.outcome) {
    case 'released':
      report = blank('claim released', true);
      core.info(`Released ${claimUri} (claim ${result.claim.claimId} of this run).`);
      break;
    case 'dry-run':
      report = blank('claim would be released (dry run)', true);
      report.claim = result.claim;
      report.claimed = true;
      break;
    case 'none':
      report = blank('no claim to release', true);
      core.info(`No claim at ${claimUri}: nothing to release.`);
      break;
    case 'not-ours':
      report = blank('claim of another run left in place', true);
      report.claim = result.claim;
      core.info(`${claimUri} is held ${describeRecord(result.claim)}, not by this run: it is left in place.`);
      break;
  }
  report.rows.push(['Claim', claimUri]);
  return report;
}

type ModeRunner = (c: ModeContext) => Promise<ModeReport>;

/**
 * A matrix leg's group of tables (scope table, several tables in table-filter): the mode runs for each table in
 * name order. A claim is all or nothing: when one table is refused, the tables this step claimed are released.
 */
export async function runPerTable(store: BatchStore, inputs: Inputs, batchPrefix: string, mode: ModeRunner): Promise<ModeReport> {
  if (inputs.scope !== 'table' || inputs.tables.length < 2) return mode(modeContext(store, inputs, batchPrefix));
  const reports: ModeReport[] = [];
  const shared = {};
  for (const table of inputs.tables) {
    const report = await mode(modeContext(store, inputs, batchPrefix, table, shared));
    reports.push(report);
    if (!report.ok && mode === runClaim) break;
  }
  const ok = reports.length === inputs.tables.length && reports.every((r) => r.ok);
  if (mode === runClaim && !ok) {
    for (const [i, report] of reports.entries()) {
      if (!report.claimed || report.verdict === 'claim taken back by this run') continue;
      await runRelease(modeContext(store, inputs, batchPrefix, inputs.tables[i]));
      report.warnings.push(`Table ${inputs.tables[i]} was claimed and released again: the group is claimed whole or not at all.`);
    }
  }
  const first = reports[0];
  return {
    verdict: `${inputs.tables.length} tables: ${reports.map((r, i) => `${inputs.tables[i]} ${r.verdict}`).join(', ')}`,
    ok,
    problems: reports.flatMap((r) => r.problems),
    warnings: reports.flatMap((r) => r.warnings),
    rows: reports.flatMap((r, i) => r.rows.map(([k, v]): [string, string] => [`${k} (${inputs.tables[i]})`, v])),
    claimed: ok && reports.every((r) => r.claimed),
    claim: first.claim && { ...first.claim, claimId: reports.map((r) => r.claim?.claimId ?? '').join(',') },
    loaded: reports.every((r) => r.loaded) ? first.loaded : undefined,
    digest: first.digest,
  };
}
