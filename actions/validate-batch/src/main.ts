import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as core from '@actions/core';
import { InputErrors, runStep, UserError, UserErrors, writeSummary } from '@pipeline-actions/kit';
import { tableOutputs } from './fragments.js';
import { defaultSummaryFile, getInputs, untrimmedInput, type Inputs } from './inputs.js';
import { runClaim, runMarkLoaded, runPerTable, runRelease, runValidate, type ModeReport } from './modes.js';
import { createS3Store } from './s3-store.js';
import { renderInputFailure, renderSummary } from './summary.js';

/** The entry point, as GitHub's action template and `@github/local-action` expect it. */
export async function run(): Promise<void> {
  await runStep(main);
}

const MODES = { validate: runValidate, claim: runClaim, 'mark-loaded': runMarkLoaded, release: runRelease };

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
  let report: ModeReport = { verdict: 'valid', ok: true, problems: [], warnings: [], rows: [], claimed: false };

  if (inputs.bucket) {
    const timeoutMs = inputs.timeoutSeconds * 1000;
    const store = await createS3Store(inputs.bucket, {
      ...inputs.s3,
      connectionTimeoutMs: timeoutMs,
      requestTimeoutMs: timeoutMs,
    });
    try {
      report = await runPerTable(store, inputs, batchPrefix, MODES[inputs.mode]);
    } catch (error) {
      // An S3 failure is reported like a failed check, so the summary still says what happened.
      if (!(error instanceof UserError)) throw error;
      report = { ...report, verdict: inputs.mode === 'validate' ? 'invalid' : 'failed', ok: false, problems: [error.message] };
    } finally {
      store.destroy();
      core.info(`${store.requests()} S3 request(s).`);
    }
  } else if (!inputs.batchId && !inputs.project && inputs.allowedProjects.length === 0 && inputs.batchSize === undefined) {
    report.warnings.push('No check was requested: give batch-id, project with allowed-projects, batch-size or bucket.');
  }

  const valid = report.ok && report.problems.length === 0;
  const validation = report.validation;
  const { names, counts } = validation ? tableOutputs(validation.scan.tables) : { names: [], counts: {} };
  core.setOutput('valid', String(valid));
  core.setOutput('fragment-count', String(validation?.scan.fragmentCount ?? 0));
  core.setOutput('tables', JSON.stringify(names));
  core.setOutput('table-counts', JSON.stringify(counts));
  core.setOutput('total-bytes', String(validation?.scan.totalBytes ?? 0));
  core.setOutput('s3-uri', s3Uri);
  core.setOutput('loaded', String(report.loaded !== undefined));
  core.setOutput('loaded-by', report.loaded?.by ?? '');
  core.setOutput('loaded-at', report.loaded?.at ?? '');
  core.setOutput('claimed', String(report.claimed));
  core.setOutput('claim-id', report.claim?.claimId ?? '');
  core.setOutput('claimed-by', report.claim?.by ?? '');
  core.setOutput('claimed-at', report.claim?.at ?? '');
  core.setOutput('listing-digest', report.digest ?? '');
  core.setOutput('matrix', JSON.stringify(report.matrix ?? []));

  const markdown = renderSummary({ inputs, valid, s3Uri, report, elapsedMs: Date.now() - started });
  core.setOutput('summary-file', saveSummaryFile(inputs.summaryFile, markdown, report.warnings));
  await writeSummary(markdown);
  for (const warning of report.warnings) core.warning(warning);
  if (report.problems.length > 0) throw new UserErrors(report.problems);
}

/** Writes the summary file; a failure is a warning naming the path and the reason, and the output is then empty. */
function saveSummaryFile(path: string, markdown: string, warnings: string[]): string {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, markdown);
    return path;
  } catch (error) {
    warnings.push(
      `The summary file ${path} could not be written (${fileErrorText(error)}): check the summary-file input; the job summary still has it.`,
    );
    return '';
  }
}

function fileErrorText(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return 'a part of its directory path is a file, not a directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return e?.message ?? String(error);
  }
}

/** Bad inputs still leave a summary (and its file, for the artifact upload) saying what to fix. */
async function reportInputFailure(messages: string[]): Promise<void> {
  const path = untrimmedInput('summary-file').trim() || defaultSummaryFile();
  const markdown = renderInputFailure(untrimmedInput('batch-id').trim(), messages);
  const warnings: string[] = [];
  core.setOutput('summary-file', saveSummaryFile(path, markdown, warnings));
  for (const warning of warnings) core.warning(warning);
  try {
    await writeSummary(markdown);
  } catch (error) {
    core.warning(`The job summary could not be written: ${(error as Error).message}`);
  }
}
