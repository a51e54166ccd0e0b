import { cell, markdownTable } from '@pipeline-actions/kit';
import type { Inputs } from './inputs.js';
import type { ModeReport } from './modes.js';
import { describeRecord } from './records.js';
import { sampleText, type BatchValidation } from './validate.js';

/** Table rows shown before the summary says "and N more" (the outputs always carry them all). */
const MAX_TABLE_ROWS = 200;

export interface SummaryData {
  inputs: Inputs;
  valid: boolean;
  s3Uri: string;
  report: ModeReport;
  elapsedMs: number;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function renderSummary(d: SummaryData): string {
  const { inputs, report } = d;
  const icon = d.valid ? '✅' : '❌';
  const title = inputs.batchId ? `Batch \`${inputs.batchId}\`` : 'Batch request';
  const rows: unknown[][] = [['Mode', inputs.mode]];
  if (inputs.batchId) rows.push(['Batch id', inputs.batchId]);
  if (inputs.environment) rows.push(['Environment', inputs.environment]);
  if (inputs.bucket) rows.push(['Scope', `${inputs.scope}${inputs.scope === 'table' ? ` (${inputs.tableFilter})` : ''}`]);
  if (inputs.project) rows.push(['Project', inputs.project]);
  if (inputs.batchSize !== undefined)
    rows.push(['Batch size', `${inputs.batchSize} (allowed ${inputs.batchSizeMin}-${inputs.batchSizeMax})`]);
  if (d.s3Uri) rows.push(['S3 location', d.s3Uri]);
  const v = report.validation;
  if (v) {
    rows.push(['Fragments', v.scan.fragmentCount.toLocaleString('en-US')]);
    rows.push(['Tables', v.scan.tables.size]);
    rows.push(['Total size', `${formatBytes(v.scan.totalBytes)} (${v.scan.totalBytes} bytes)`]);
    const notCounted = [
      v.scan.placeholders && `${v.scan.placeholders} directory placeholder(s)`,
      v.scan.markers && `${v.scan.markers} marker file(s)`,
      v.scan.empty.count && `${v.scan.empty.count} 0-byte object(s)`,
      v.scan.ignored.count && `${v.scan.ignored.count} ignored (${sampleText(v.scan.ignored)})`,
    ].filter(Boolean);
    if (notCounted.length > 0) rows.push(['Not counted', notCounted.join(', ')]);
    rows.push(['Manifest', manifestText(v)]);
    rows.push(['Listing digest', `\`${v.digest}\``]);
  } else if (!inputs.bucket) {
    rows.push(['S3 check', 'none (no bucket given)']);
  }
  rows.push(...report.rows);
  if (inputs.bucket) {
    rows.push(['Loaded', report.loaded ? `yes, ${describeRecord(report.loaded)}` : 'no']);
    if (report.claim) rows.push(['Claim', `${report.claim.claimId || '(unreadable)'} ${describeRecord(report.claim)}`]);
  }
  if (inputs.dryRun) rows.push(['Dry run', 'yes: nothing was written to S3']);
  rows.push(['Took', `${(d.elapsedMs / 1000).toFixed(2)} s`]);

  const parts = [`## ${icon} ${title}: ${report.verdict}`, '', markdownTable(['', ''], rows)];
  if (v && v.scan.tables.size > 0) {
    const names = [...v.scan.tables.keys()].sort();
    const shown = names.slice(0, MAX_TABLE_ROWS).map((name) => {
      const t = v.scan.tables.get(name)!;
      return [name === inputs.tableFilter ? `${name} (table-filter)` : name, t.fragments.toLocaleString('en-US'), formatBytes(t.bytes)];
    });
    parts.push('', '### Tables', '', markdownTable(['Table', 'Fragments', 'Size'], shown));
    if (names.length > shown.length) parts.push('', `…and ${names.length - shown.length} more table(s) (see the table-counts output).`);
  }
  if (report.problems.length > 0) parts.push('', '### Problems', '', ...report.problems.map((p) => `- ${cell(p)}`));
  if (report.warnings.length > 0) parts.push('', '### Warnings', '', ...report.warnings.map((w) => `- ${cell(w)}`));
  return `${parts.join('\n')}\n`;
}

/** The summary when the inputs themselves are wrong: nothing was checked beyond them. */
export function renderInputFailure(batchId: string, problems: string[]): string {
  const title = batchId ? `Batch \`${batchId.replace(/`/g, "'")}\`` : 'Batch request';
  return [`## ❌ ${title}: invalid request`, '', '### Problems', '', ...problems.map((p) => `- ${cell(p)}`), ''].join('\n');
}

function manifestText(v: BatchValidation): string {
  switch (v.manifest.state) {
    case 'off':
      return 'not checked (verify-manifest: off)';
    case 'absent':
      return 'none in the batch';
    case 'invalid':
      return 'unreadable';
    case 'verified': {
      const r = v.manifest.report!;
      const bad = r.missing.count + r.sizeMismatches.count + r.unlisted.count;
      return bad === 0
        ? `all ${r.listed} listed file(s) present with their sizes`
        : `${r.missing.count} missing, ${r.sizeMismatches.count} size mismatch(es), ${r.unlisted.count} unlisted`;
    }
  }
}
