import { describe, expect, it } from '@jest/globals';
import { escapeOutput, OutputCutter, unescapeOutput } from '../src/markdown.js';
import type { AnyRecord, StageRecord } from '../src/records.js';
import { MAX_BODY, readCache, renderDashboard, type KnownOutput } from '../src/render.js';
import { deriveView } from '../src/view.js';

/** A 100 kB Terraform plan: fenced blocks of several kinds, nested fence-like lines, HTML that could end the comment. */
function plan(): string {
  const lines: string[] = ['Terraform will perform the following actions:', ''];
  for (let i = 0; lines.join('\n').length < 100_000; i++) {
    lines.push(i % 3 === 0 ? '```hcl' : i % 3 === 1 ? '~~~~' : '````diff');
    for (let j = 0; j < 12; j++) lines.push(`  + resource "aws_s3_bucket" "b${i}_${j}" { acl = "private" } <!-- x --> </details>`);
    if (i % 3 === 2) lines.push('```', 'still inside the four-backtick fence');
    lines.push(i % 3 === 0 ? '```' : i % 3 === 1 ? '~~~~' : '````', '', `Plan ${i}: 12 to add, 0 to change, 0 to destroy. <details>`);
  }
  return lines.join('\n');
}

/**
 * An independent reading of CommonMark fences for a whole text: the open fence (or undefined) after each prefix
 * of the text, computed line by line from scratch at every line start (no shared code with the renderer).
 */
function referenceOpenFences(text: string): (string | undefined)[] {
  const result: (string | undefined)[] = new Array(text.length + 1);
  let open: string | undefined;
  let lineStart = 0;
  const judge = (line: string, current: string | undefined) => {
    const m = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (current === undefined) return m && !(m[1][0] === '`' && m[2].includes('`')) ? m[1] : undefined;
    return m && m[1][0] === current[0] && m[1].length >= current.length && /^[ \t]*$/.test(m[2]) ? undefined : current;
  };
  for (let i = 0; i <= text.length; i++) {
    result[i] = judge(text.slice(lineStart, i), open);
    if (text[i] === '\n') {
      open = judge(text.slice(lineStart, i), open);
      lineStart = i + 1;
    }
  }
  return result;
}

function stage(id: number, key: string): StageRecord {
  return {
    kind: 'stage',
    key,
    id,
    status: 'success',
    run: 1,
    attempt: 1,
    at: '2026-12-02T08:00:00Z',
    link: 'https://github.com/o/r/actions/runs/1',
  };
}

describe('renderer: a cut output keeps the markdown balanced', () => {
  const text = escapeOutput(plan());
  const expected = referenceOpenFences(text);

  it('closes the fence open at the cut, for every cut position of a 100 kB plan', () => {
    expect(text.length).toBeGreaterThanOrEqual(100_000);
    const cutter = new OutputCutter(text);
    const wrong: number[] = [];
    for (let n = 0; n <= text.length; n++) {
      const { kept, closer } = cutter.cut(n);
      const fence = expected[kept.length];
      const want = fence ? `${kept.endsWith('\n') ? '' : '\n'}${fence}` : '';
      if (closer !== want && wrong.length < 5) wrong.push(n);
    }
    expect(wrong).toEqual([]);
  });

  it('renders a whole dashboard under 65,536 characters whose details and fences close, at sampled budgets', () => {
    const records: AnyRecord[] = [stage(7, 'plan'), stage(8, 'ci')];
    const outputs = new Map<number, KnownOutput>([[7, { text: plan(), cut: 0 }]]);
    const view = deriveView(records);
    for (let limit = 2_000; limit <= MAX_BODY; limit += 4_999) {
      const body = renderDashboard({ marker: 'd', sha: 'a'.repeat(40), view, fallbackTitle: 'T', records, outputs, limit });
      expect(body.length).toBeLessThanOrEqual(limit);
      // Outside fences: one <details> and one </details>, and the hidden state is the last line.
      const open = referenceOpenFences(body);
      expect(open[body.length]).toBeUndefined();
      const outside: string[] = [];
      let offset = 0;
      for (const line of body.split('\n')) {
        if (open[offset] === undefined) outside.push(line);
        offset += line.length + 1;
      }
      expect(outside.filter((l) => /<details>/.test(l) && !l.includes('\u200B'))).toHaveLength(1);
      expect(outside.filter((l) => l === '</details>')).toHaveLength(1);
      expect(body.split('\n').at(-1)).toMatch(/^<!-- d-state: \{.*\} -->$/);
      // The cached output reads back as the beginning of the plan.
      const cached = readCache(body, 'd').outputs.get(7);
      expect(plan().startsWith(cached!.text)).toBe(true);
      expect(cached!.cut).toBe(plan().length - cached!.text.length);
    }
  });

  it('escapes HTML comment openers and details tags reversibly', () => {
    const raw = 'a <!-- b --> </details> <\u200B!-- already';
    expect(escapeOutput(raw)).not.toContain('<!--');
    expect(unescapeOutput(escapeOutput(raw))).toBe(raw);
  });
});

describe('view: records decide every row', () => {
  it('an older run never overwrites a newer one, whatever the order of the writes', () => {
    const newer: StageRecord = { ...stage(10, 'apply'), run: 5, status: 'success' };
    const older: StageRecord = { ...stage(11, 'apply'), run: 4, status: 'failure' };
    expect(deriveView([newer, older]).stages).toEqual([{ key: 'apply', name: 'apply', status: 'success', record: newer }]);
  });

  it('init resets only what it declares with reset, and never a newer run', () => {
    const ci = { ...stage(1, 'ci'), run: 1 };
    const plan = { ...stage(2, 'plan'), run: 1 };
    const manifest: AnyRecord = {
      kind: 'manifest',
      id: 3,
      run: 2,
      attempt: 1,
      part: 1,
      parts: 1,
      at: '',
      entries: [{ key: 'plan', name: 'Plan', reset: true }],
    };
    expect(deriveView([ci, plan, manifest]).stages.map((s) => [s.key, s.status])).toEqual([
      ['plan', 'pending'],
      ['ci', 'success'],
    ]);
  });
});
