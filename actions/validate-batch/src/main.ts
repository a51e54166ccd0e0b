import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as core from '@actions/core';
import { envInput, InputErrors, readRunContext, runStep, UserError, UserErrors, writeSummary } from '@pipeline-actions/kit';
import { tableOutputs } from './fragments.js';
import { defaultSummaryFile, getInputs, type Inputs } from './inputs.js';
import { buildMarker, describeLoad, markLoaded, type MarkResult } from './marker.js';
import { keepYoungGenerationSmall } from './memory.js';
import { createS3Store } from './s3-store.js';
import type { BatchStore } from './store.js';
import { renderInputFailure, renderSummary } from './summary.js';
import { validateBatch, type BatchValidation } from './validate.js';

/** The entry point, as GitHub's action template and `@github/local-action` expect it. */
export async function run(): Promise<void> {
  await runStep(main);
}

export async function main(): Promise<void> {
  const started = Date.now();
  let inputs: Inputs;
  try {
    inputs = getInputs();
  } catch (error) {
    core.setOutput('valid', 'false');
    if (error instanceof InputErrors) await reportInputFailure(error.errors.map((e) => e.message));
    throw error;
  }

  const batchPrefix = `${inputs.prefix}${inputs.batchId}/`;
  const s3Uri = inputs.bucket ? `s3://${inputs.bucket}/${batchPrefix}` : '';
  const problems: string[] = [];
  const warnings: string[] = [];
  let validation: BatchValidation | undefined;
  let mark: MarkResult | undefined;

  if (inputs.bucket) {
    keepYoungGenerationSmall();
    const store = await createS3Store(inputs.bucket, inputs.s3);
    try {
      if (inputs.mode === 'validate') {
        core.info(`Listing ${s3Uri} (tables in parallel, ${inputs.concurrency} requests at most).`);
        validation = await validateBatch(store, { ...inputs, batchPrefix });
        problems.push(...validation.problems);
        warnings.push(...validation.warnings);
        const s = validation.scan;
        core.info(
          `Found ${s.fragmentCount} fragment(s) in ${s.tables.size} table(s), ${s.totalBytes} bytes, with ${s.listRequests} list request(s).`,
        );
      } else {
        mark = await markBatch(store, inputs, batchPrefix, problems, warnings);
      }
    } catch (error) {
      // An S3 failure is reported like a failed check, so the summary still says what happened.
      if (!(error instanceof UserError)) throw error;
      problems.push(error.message);
    } finally {
      store.destroy();
    }
  } else if (!inputs.batchId && !inputs.project && inputs.allowedProjects.length === 0 && inputs.batchSize === undefined) {
    warnings.push('No check was requested: give batch-id, project with allowed-projects, batch-size or bucket.');
  }

  const valid = problems.length === 0 && (mark === undefined || mark.outcome !== 'already-loaded');
  const { names, counts } = validation ? tableOutputs(validation.scan.tables) : { names: [], counts: {} };
  const loadedInfo = validation?.loaded ?? (mark?.outcome === 'dry-run' ? mark.existing : mark?.marker);
  core.setOutput('valid', String(valid));
  core.setOutput('fragment-count', String(validation?.scan.fragmentCount ?? 0));
  core.setOutput('tables', JSON.stringify(names));
  core.setOutput('table-counts', JSON.stringify(counts));
  core.setOutput('total-bytes', String(validation?.scan.totalBytes ?? 0));
  core.setOutput('s3-uri', s3Uri);
  core.setOutput('loaded', String(loadedInfo !== undefined));
  core.setOutput('loaded-by', loadedInfo?.loadedBy ?? '');
  core.setOutput('loaded-at', loadedInfo?.loadedAt ?? '');
  core.setOutput('summary-file', inputs.summaryFile);

  const markdown = renderSummary({ inputs, valid, s3Uri, validation, mark, problems, warnings, elapsedMs: Date.now() - started });
  writeSummaryFile(inputs.summaryFile, markdown);
  await writeSummary(markdown);
  for (const warning of warnings) core.warning(warning);
  if (problems.length > 0) throw new UserErrors(problems);
}

function writeSummaryFile(path: string, markdown: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, markdown);
}

/** Bad inputs still leave a summary (and its file, for the artifact upload) saying what to fix. */
async function reportInputFailure(messages: string[]): Promise<void> {
  const path = envInput('summary-file') || defaultSummaryFile();
  const markdown = renderInputFailure(envInput('batch-id'), messages);
  try {
    writeSummaryFile(path, markdown);
    core.setOutput('summary-file', path);
    await writeSummary(markdown);
  } catch (error) {
    core.warning(`The summary could not be written: ${(error as Error).message}`);
  }
}

/** mark-loaded: the conditional create of the marker, after the input checks have passed. */
async function markBatch(
  store: BatchStore,
  inputs: Inputs,
  batchPrefix: string,
  problems: string[],
  warnings: string[],
): Promise<MarkResult> {
  const markerKey = `${batchPrefix}${inputs.markerName}`;
  const ctx = readRunContext();
  if (!ctx.runId) warnings.push('GITHUB_RUN_ID is not set: a re-run of this job will not be recognised as the same run.');
  const probe = await store.list(batchPrefix, { maxKeys: 1 });
  if (probe.objects.length === 0 && probe.prefixes.length === 0) {
    warnings.push(`Nothing exists at ${store.uri(batchPrefix)}; marking the batch loaded anyway.`);
  }
  const result = await markLoaded(store, markerKey, buildMarker(inputs.batchId, inputs.environment, ctx, new Date()), inputs.dryRun);
  switch (result.outcome) {
    case 'created':
      core.info(`Marked ${store.uri(markerKey)} loaded by ${result.marker.loadedBy} at ${result.marker.loadedAt}.`);
      break;
    case 'rerun':
      core.info(
        `${store.uri(markerKey)} was already written by this workflow run (${result.marker.workflowRun}): treating this as a re-run.`,
      );
      break;
    case 'dry-run':
      core.info(`Dry run: would create ${store.uri(markerKey)} (If-None-Match: *).`);
      if (result.existing && result.existing.workflowRun !== ctx.runId) {
        warnings.push(`Dry run: batch ${inputs.batchId} is already loaded ${describeLoad(result.existing)}; a real run would be refused.`);
      }
      break;
    case 'already-loaded': {
      const message = `Batch ${inputs.batchId} was already loaded ${describeLoad(result.marker)}; this run (${ctx.runId || 'unknown'}) did not mark it again.`;
      if (inputs.failIfLoaded) problems.push(`${message} Loading a batch twice is refused.`);
      else warnings.push(message);
      break;
    }
  }
  return result;
}
