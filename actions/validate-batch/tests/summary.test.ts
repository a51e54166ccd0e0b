import { describe, expect, it } from '@jest/globals';
import type { BatchScan } from '../src/fragments.js';
import { getInputs } from '../src/inputs.js';
import { formatBytes, renderInputFailure, renderSummary } from '../src/summary.js';

const inputs = (values: Record<string, string>) => getInputs((name) => values[name] ?? '', new Date('2026-11-25T00:00:00Z'), {});
const scan = (tables: Record<string, [number, number]>): BatchScan => {
  const map = new Map(Object.entries(tables).map(([name, [fragments, bytes]]) => [name, { fragments, bytes, hash: undefined as never }]));
  const all = [...map.values()];
  return {
    tables: map,
    fragmentCount: all.reduce((n, t) => n + t.fragments, 0),
    totalBytes: all.reduce((n, t) => n + t.bytes, 0),
    objectCount: 0,
    placeholders: 1,
    markers: 2,
    empty: { count: 1, sample: ['orders/part-0'] },
    ignored: { count: 1, sample: ['orders/_SUCCESS'] },
    strayRootFiles: [],
    emptyTables: [],
    rootNames: new Set(),
    listRequests: 3,
  };
};

describe('renderSummary', () => {
  const base = { 'batch-id': 'batch_20241101_120000', bucket: 'data', environment: 'qa', 'table-filter': 'orders', 'dry-run': 'true' };

  it('shows the batch, environment, counts, a table of tables, the S3 location and the dry-run flag', () => {
    const markdown = renderSummary({
      inputs: inputs(base),
      valid: true,
      s3Uri: 's3://data/validated/batch_20241101_120000/',
      report: {
        verdict: 'valid',
        ok: true,
        problems: [],
        warnings: [],
        rows: [],
        claimed: false,
        validation: {
          scan: scan({ orders: [2, 3072], customers: [1, 10] }),
          digest: 'sha256:abc',
          manifest: { state: 'absent' },
          state: { others: [] },
          problems: [],
          warnings: [],
        },
      },
      elapsedMs: 1234,
    });
    expect(markdown).toContain('## ✅ Batch `batch_20241101_120000`: valid');
    expect(markdown).toContain('| Environment | qa |');
    expect(markdown).toContain('| Fragments | 3 |');
    expect(markdown).toContain('| S3 location | s3://data/validated/batch_20241101_120000/ |');
    expect(markdown).toContain(
      '| Not counted | 1 directory placeholder(s), 2 marker file(s), 1 0-byte object(s), 1 ignored (orders/_SUCCESS) |',
    );
    expect(markdown).toContain('| Scope | environment |');
    expect(markdown).toContain('| Listing digest | `sha256:abc` |');
    expect(markdown).toContain('| Dry run | yes: nothing was written to S3 |');
    expect(markdown).toMatch(/\| customers \| 1 \| 10 B \|\n\| orders \(table-filter\) \| 2 \| 3\.0 KiB \|/);
  });

  it('lists problems with table characters escaped', () => {
    const markdown = renderSummary({
      inputs: inputs({}),
      valid: false,
      s3Uri: '',
      report: { verdict: 'invalid', ok: false, problems: ['a | b'], warnings: [], rows: [], claimed: false },
      elapsedMs: 0,
    });
    expect(markdown).toContain('## ❌ Batch request: invalid');
    expect(markdown).toContain('- a \\| b');
    expect(markdown).toContain('none (no bucket given)');
  });

  it('renders the input failure summary', () => {
    expect(renderInputFailure('batch_1', ["Input 'batch-id': bad."])).toBe(
      "## ❌ Batch `batch_1`: invalid request\n\n### Problems\n\n- Input 'batch-id': bad.\n",
    );
  });

  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [5 * 1024 ** 3, '5.0 GiB'],
  ])('formats %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
