import { describe, expect, it } from '@jest/globals';
import { extractState, fitState, isDashboardOf, markerLine, renderDashboard, summaryMarkdown } from '../src/render.js';
import {
  applyInit,
  applyUpdate,
  holdsUpdate,
  mergeStates,
  newState,
  parseStateJson,
  serializeState,
  type DashboardState,
  type StageUpdate,
} from '../src/state.js';
import { normalizeStatus, STATUS_EMOJI } from '../src/status.js';
import { DEFAULT_STAGES } from '../src/inputs.js';

const SHA = 'abc1234def5678901234567890abcdef12345678';
const ref = { run: 100, attempt: 1, at: '2026-11-25T14:00:00.000Z' };

function upd(key: string, status: StageUpdate['status'], extra: Partial<StageUpdate> = {}): StageUpdate {
  return { key, status, run: 100, attempt: 1, at: '2026-11-25T14:23:05.000Z', w: `w-${key}-${status}`, ...extra };
}

function init(): DashboardState {
  return applyInit(newState(SHA, 'Commit Dashboard'), DEFAULT_STAGES, ref, 'Commit Dashboard');
}

describe('status names', () => {
  it('maps job.status, steps outcome and needs result values, case-insensitively', () => {
    expect(['success', 'failure', 'cancelled', 'skipped'].map(normalizeStatus)).toEqual(['success', 'failure', 'cancelled', 'skipped']);
    expect(['Success', 'FAILED', 'canceled', 'in_progress', 'queued', 'timed_out'].map(normalizeStatus)).toEqual([
      'success',
      'failure',
      'cancelled',
      'running',
      'pending',
      'failure',
    ]);
    expect(normalizeStatus('maybe')).toBeUndefined();
  });

  it('has one emoji per status', () => {
    expect(STATUS_EMOJI).toEqual({ pending: '⏳', running: '🔄', success: '✅', failure: '❌', skipped: '⏭️', cancelled: '🚫' });
  });
});

describe('applying changes', () => {
  it('init lists the stages as pending in their order', () => {
    const state = init();
    expect(state.stages.map((s) => [s.key, s.status])).toEqual(DEFAULT_STAGES.map((d) => [d.key, 'pending']));
  });

  it('an update sets one stage and appends an unknown stage at the end', () => {
    const a = applyUpdate(init(), upd('plan-platform', 'running', { link: 'https://x/runs/1' }));
    expect(a.kind).toBe('applied');
    const b = applyUpdate(a.state, upd('deploy', 'success', { name: 'Deploy' }));
    expect(b.state.stages.find((s) => s.key === 'plan-platform')).toMatchObject({ status: 'running', link: 'https://x/runs/1', run: 100 });
    expect(b.state.stages.at(-1)).toMatchObject({ key: 'deploy', name: 'Deploy', status: 'success' });
  });

  it('refuses an update from an older run or attempt, and accepts a newer attempt', () => {
    const s = applyUpdate(init(), upd('apply', 'success', { run: 200, attempt: 2 })).state;
    expect(applyUpdate(s, upd('apply', 'failure', { run: 199, attempt: 5 })).kind).toBe('stale');
    expect(applyUpdate(s, upd('apply', 'failure', { run: 200, attempt: 1 })).kind).toBe('stale');
    expect(applyUpdate(s, upd('apply', 'failure', { run: 200, attempt: 3 })).kind).toBe('applied');
  });

  it('a re-run init resets stages of older runs to pending and keeps this run’s', () => {
    const s = applyUpdate(applyUpdate(init(), upd('ci', 'success')).state, upd('apply', 'success', { run: 300 })).state;
    const again = applyInit(s, DEFAULT_STAGES, { run: 200, attempt: 1, at: ref.at }, 'Commit Dashboard');
    expect(again.stages.find((x) => x.key === 'ci')?.status).toBe('pending');
    expect(again.stages.find((x) => x.key === 'apply')?.status).toBe('success');
  });

  it('knows whether a state holds an update or a newer write of the same stage', () => {
    const u = upd('ci', 'running');
    const s = applyUpdate(init(), u).state;
    expect(holdsUpdate(s, u)).toBe(true);
    expect(holdsUpdate(init(), u)).toBe(false);
    const newer = applyUpdate(s, upd('ci', 'success', { at: '2026-11-25T14:30:00.000Z', w: 'other' })).state;
    expect(holdsUpdate(newer, u)).toBe(true);
    const older = applyUpdate(init(), upd('ci', 'success', { at: '2026-11-25T14:00:00.000Z', w: 'other' })).state;
    expect(holdsUpdate(older, u)).toBe(false);
    const laterPlaceholder = applyInit(newState(SHA, 'T'), DEFAULT_STAGES, { ...ref, at: '2026-11-25T15:00:00.000Z' }, 'T');
    expect(holdsUpdate(laterPlaceholder, u)).toBe(false);
  });

  it('prefers a real update over a pending placeholder written later by a concurrent init', () => {
    const updated = applyUpdate(init(), upd('ci', 'running', { at: '2026-11-25T14:00:01.000Z' })).state;
    const laterInit = applyInit(
      newState(SHA, 'Commit Dashboard'),
      DEFAULT_STAGES,
      { ...ref, at: '2026-11-25T14:00:09.000Z' },
      'Commit Dashboard',
    );
    expect(mergeStates(updated, laterInit).stages[0].status).toBe('running');
    expect(mergeStates(laterInit, updated).stages[0].status).toBe('running');
  });

  it('merges two copies of a dashboard stage by stage, newest write winning', () => {
    const a = applyUpdate(init(), upd('ci', 'success')).state;
    const b = applyUpdate(applyUpdate(init(), upd('apply', 'running')).state, upd('extra', 'failure')).state;
    const merged = mergeStates(a, b);
    expect(merged.stages.find((s) => s.key === 'ci')?.status).toBe('success');
    expect(merged.stages.find((s) => s.key === 'apply')?.status).toBe('running');
    expect(merged.stages.at(-1)?.key).toBe('extra');
  });
});

describe('hidden state', () => {
  it('survives a round trip through the comment body, with -- and <!-- in outputs made harmless', () => {
    const nasty = 'a -- b --> c <!-- infra-dashboard-state: {"v":1} --> ---- -';
    const state = applyUpdate(init(), upd('ci', 'failure', { output: nasty })).state;
    const body = renderDashboard(state, 'infra-dashboard');
    const json = serializeState(state);
    expect(json).not.toContain('--');
    expect(json).not.toContain('<');
    expect(
      body
        .split('\n')
        .filter((l) => l.includes('-->'))
        .every((l) => /^<!-- .* -->$/.test(l) || !l.includes('<!--')),
    ).toBe(true);
    expect(extractState(body, 'infra-dashboard')).toEqual(state);
  });

  it('rejects malformed state', () => {
    expect(parseStateJson('{')).toBeUndefined();
    expect(parseStateJson('{"v":2,"sha":"x","stages":[]}')).toBeUndefined();
    expect(parseStateJson('{"v":1,"sha":"x","stages":[{"key":"a","status":"weird"}]}')?.stages).toEqual([]);
  });
});

describe('rendering', () => {
  it('renders the documented layout', () => {
    let state = init();
    state = applyUpdate(state, upd('ci', 'success', { link: 'https://github.com/o/r/actions/runs/1', output: '42 passed' })).state;
    state = applyUpdate(state, upd('plan-bootstrap', 'running', { link: 'https://github.com/o/r/actions/runs/1' })).state;
    const lines = renderDashboard(state, 'infra-dashboard').split('\n');
    expect(lines.slice(0, 7)).toEqual([
      '<!-- infra-dashboard:abc1234 -->',
      '## ⚙️ Commit Dashboard `abc1234`',
      '| Stage | Status | Output | Time |',
      '|-------|--------|--------|------|',
      '| CI Validate | ✅ | [View](https://github.com/o/r/actions/runs/1) · 42 passed | 14:23 |',
      '| Plan: bootstrap | 🔄 | [View](https://github.com/o/r/actions/runs/1) | 14:23 |',
      '| Plan: platform | ⏳ | - | - |',
    ]);
    expect(isDashboardOf(lines.join('\n'), 'infra-dashboard', 'abc1234')).toBe(true);
    expect(markerLine('m', SHA)).toBe('<!-- m:abc1234 -->');
  });

  it('escapes pipes and folds long output into a details block', () => {
    const long = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    let state = applyUpdate(init(), upd('ci', 'failure', { output: 'a | b' })).state;
    state = applyUpdate(state, upd('apply', 'success', { output: long })).state;
    const body = renderDashboard(state, 'infra-dashboard');
    expect(body).toContain('| CI Validate | ❌ | a \\| b |');
    expect(body).toContain('| Apply | ✅ | output below |');
    expect(body).toContain(`<details><summary>Apply: output</summary>\n\n${long}\n\n</details>`);
    expect(summaryMarkdown(body)).not.toContain('<!--');
  });

  it('cuts the longest outputs first to fit the character limit, and says so', () => {
    let state = applyUpdate(init(), upd('apply', 'success', { output: 'x'.repeat(50_000) })).state;
    state = applyUpdate(state, upd('plan-platform', 'success', { output: 'y'.repeat(30_000) })).state;
    state = applyUpdate(state, upd('ci', 'success', { output: 'short' })).state;
    const fitted = fitState(state, 'infra-dashboard');
    const body = renderDashboard(fitted, 'infra-dashboard');
    expect(body.length).toBeLessThanOrEqual(65_536);
    const apply = fitted.stages.find((s) => s.key === 'apply')!;
    expect(apply.cut).toBeGreaterThan(0);
    expect(fitted.stages.find((s) => s.key === 'ci')?.output).toBe('short');
    expect(body).toMatch(/output cut by [\d,]+ characters/);
    expect(fitState(init(), 'infra-dashboard')).toEqual(init());
  });
});
