import { cell, markdownTable } from '@pipeline-actions/kit';
import type { Inputs } from './inputs.js';
import type { MarkResult } from './marker.js';
import type { BatchValidation } from './validate.js';

/** Table rows shown before the summary says "and N more" (the outputs always carry them all). */
const MAX_TABLE_ROWS = 200;

export interface SummaryData {
  inputs: Inputs;
  valid: boolean;
  s3Uri: string;
  validation?: BatchValidation;
  mark?: MarkResult;
  problems: string[];
  warnings: string[];
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
  const { inputs } = d;
  const verdict =
    inputs.mode === 'mark-loaded'
      ? d.mark?.outcome === 'created'
        ? 'marked loaded'
        : d.mark?.outcome === 'rerun'
          ? 'already marked by this run (re-run)'
          : d.mark?.outcome === 'dry-run'
            ? 'would be marked loaded (dry run)'
            : 'not marked'
      : d.valid
        ? 'valid'
        : 'invalid';
  const icon = d.valid ? '✅' : '❌';
  const title = inputs.batchId ? `Batch \`${inputs.batchId}\`` : 'Batch request';
  const rows: unknown[][] = [['Mode', inputs.mode]];
  if (inputs.batchId) rows.push(['Batch id', inputs.batchId]);
  if (inputs.environment) rows.push(['Environment', inputs.environment]);
  if (inputs.project) rows.push(['Project', inputs.project]);
  if (inputs.batchSize !== undefined)
    rows.push(['Batch size', `${inputs.batchSize} (allowed ${inputs.batchSizeMin}-${inputs.batchSizeMax})`]);
  if (d.s3Uri) rows.push(['S3 location', d.s3Uri]);
  const v = d.validation;
  if (v) {
    rows.push(['Fragments', v.scan.fragmentCount.toLocaleString('en-US')]);
    rows.push(['Tables', v.scan.tables.size]);
    rows.push(['Total size', `${formatBytes(v.scan.totalBytes)} (${v.scan.totalBytes} bytes)`]);
    if (v.scan.placeholders + v.scan.markers > 0)
      rows.push(['Not counted', `${v.scan.placeholders} directory placeholder(s), ${v.scan.markers} marker file(s)`]);
    rows.push(['Manifest', manifestText(v)]);
    rows.push(['Loaded', v.loaded ? `yes, by ${v.loaded.loadedBy || 'unknown'} at ${v.loaded.loadedAt || 'unknown'}` : 'no']);
  } else if (!inputs.bucket) {
    rows.push(['S3 check', 'none (no bucket given)']);
  }
  if (d.mark) {
    const m = d.mark.marker;
    rows.push(['Marker', `${d.s3Uri}${inputs.markerName}`]);
    rows.push(['Loaded by', m.loadedBy || 'unknown']);
    rows.push(['Loaded at', m.loadedAt || 'unknown']);
    if (m.workflowRun) rows.push(['Workflow run', m.runUrl ? `[${m.workflowRun}](${m.runUrl})` : m.workflowRun]);
  }
  if (inputs.dryRun) rows.push(['Dry run', 'yes: nothing was written to S3']);
  rows.push(['Took', `${(d.elapsedMs / 1000).toFixed(2)} s`]);

  const parts = [`## ${icon} ${title}: ${verdict}`, '', markdownTable(['', ''], rows)];
  if (v && v.scan.tables.size > 0) {
    const names = [...v.scan.tables.keys()].sort();
    const shown = names.slice(0, MAX_TABLE_ROWS).map((name) => {
      const t = v.scan.tables.get(name)!;
      return [name === inputs.tableFilter ? `${name} (table-filter)` : name, t.fragments.toLocaleString('en-US'), formatBytes(t.bytes)];
    });
    parts.push('', '### Tables', '', markdownTable(['Table', 'Fragments', 'Size'], shown));
    if (names.length > shown.length) parts.push('', `…and ${names.length - shown.length} more table(s) (see the table-counts output).`);
  }
  if (d.problems.length > 0) parts.push('', '### Problems', '', ...d.problems.map((p) => `- ${cell(p)}`));
  if (d.warnings.length > 0) parts.push('', '### Warnings', '', ...d.warnings.map((w) => `- ${cell(w)}`));
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
