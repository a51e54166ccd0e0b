import { escapeOutput, OutputCutter, unescapeOutput } from './markdown.js';
import type { AnyRecord, StageRecord } from './records.js';
import { STATUSES, STATUS_EMOJI } from './status.js';
import type { DashboardView, StageView } from './view.js';

/** GitHub refuses comment bodies longer than this many characters. */
export const MAX_BODY = 65_536;
/** Outputs longer than this (or with a line break) are folded into a <details> block under the table. */
export const SHORT_OUTPUT = 100;
export const MAX_TITLE = 100;
export const MAX_NAME = 60;

/** A stage's full output as this writer knows it: `cut` characters of it are not in `text`. */
export interface KnownOutput {
  text: string;
  cut: number;
}

export interface RenderInput {
  marker: string;
  sha: string;
  view: DashboardView;
  /** Title when no init declared one. */
  fallbackTitle: string;
  /** The reduced records the view was derived from (kept in the comment as a cache). */
  records: AnyRecord[];
  /** Full outputs by record id (this writer's own, and those the comment held). */
  outputs: Map<number, KnownOutput>;
  /** Where a cut output can be read whole (the writing job's summary). */
  limit?: number;
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

export function markerLine(marker: string, sha: string): string {
  return `<!-- ${marker}:${shortSha(sha)} -->`;
}

const statePrefix = (marker: string) => `<!-- ${marker}-state: `;
const outputPrefix = (marker: string) => `<!-- ${marker}-output:`;

/** True when the body is a dashboard of this marker and commit. */
export function isDashboardOf(body: string, marker: string, sha7: string): boolean {
  return body.startsWith(`${markerLine(marker, sha7)}\n`) || body === markerLine(marker, sha7);
}

/** The sha7 a dashboard body is for, or undefined when it is not one of this marker. */
export function dashboardSha7(body: string, marker: string): string | undefined {
  return new RegExp(`^<!-- ${escapeRegExp(marker)}:([0-9a-f]{7}) -->(\\n|$)`).exec(body)?.[1];
}

export interface DashboardCache {
  /** The records the comment was rendered from; undefined when the hidden state is missing or unreadable. */
  records?: AnyRecord[];
  title?: string;
  outputs: Map<number, KnownOutput>;
}

/** Reads what a dashboard comment holds: its records (a cache of the truth) and the long outputs. */
export function readCache(body: string, marker: string): DashboardCache {
  const outputs = new Map<number, KnownOutput>();
  const prefix = outputPrefix(marker);
  for (let at = body.indexOf(prefix); at >= 0; at = body.indexOf(prefix, at + 1)) {
    const m = /^(\d+):(\d+):([0-9a-f]{8}):(\d+) -->\n\n/.exec(body.slice(at + prefix.length, at + prefix.length + 80));
    if (!m) continue;
    const start = at + prefix.length + m[0].length;
    const escaped = body.slice(start, start + Number(m[2]));
    if (escaped.length !== Number(m[2]) || hash(escaped) !== m[3]) continue;
    outputs.set(Number(m[1]), { text: unescapeOutput(escaped), cut: Number(m[4]) });
  }
  const at = body.lastIndexOf(statePrefix(marker));
  if (at < 0) return { outputs };
  const end = body.indexOf(' -->', at);
  try {
    const state = JSON.parse(body.slice(at + statePrefix(marker).length, end)) as { v?: unknown; title?: unknown; records?: unknown };
    if (state.v !== 2 || !Array.isArray(state.records) || !state.records.every(isRecord)) return { outputs };
    return { records: state.records, ...(typeof state.title === 'string' ? { title: state.title } : {}), outputs };
  } catch {
    return { outputs };
  }
}

function isRecord(r: unknown): r is AnyRecord {
  const x = r as Record<string, unknown>;
  if (typeof x !== 'object' || x === null || typeof x.id !== 'number' || typeof x.run !== 'number' || typeof x.attempt !== 'number')
    return false;
  if (x.kind === 'stage') return typeof x.key === 'string' && STATUSES.includes(x.status as never);
  return x.kind === 'manifest' && Array.isArray(x.entries);
}

/**
 * Renders the dashboard (a pure function of its input) within GitHub's size limit: the longest outputs
 * are cut first, each cut output closes the fence it was cut in and links to the full output.
 */
export function renderDashboard(input: RenderInput): string {
  const limit = input.limit ?? MAX_BODY;
  const budgets = new Map<number, number>();
  let body = compose(input, budgets);
  for (let round = 0; round < 32 && body.length > limit; round++) {
    const longest = [...input.outputs.entries()]
      .filter(([id]) => isShownLong(input, id))
      .map(([id, o]) => [id, budgets.get(id) ?? escapeOutput(o.text).length] as const)
      .sort((a, b) => b[1] - a[1])[0];
    if (!longest || longest[1] === 0) break;
    budgets.set(longest[0], Math.max(0, longest[1] - (body.length - limit) - 64));
    body = compose(input, budgets);
  }
  return body;
}

function isShownLong(input: RenderInput, id: number): boolean {
  return input.view.stages.some((s) => s.record?.id === id && isLong(input.outputs.get(id)!.text));
}

function compose(input: RenderInput, budgets: Map<number, number>): string {
  const { marker, sha, view } = input;
  const rawTitle = view.title ?? input.fallbackTitle ?? 'Commit Dashboard';
  const title = cutText(rawTitle, MAX_TITLE);
  const lines = [markerLine(marker, sha), `## ⚙️ ${inline(title || 'Commit Dashboard')} \`${shortSha(sha)}\``];
  if (title !== rawTitle) lines.push(`_(title cut from ${[...rawTitle].length.toLocaleString('en-US')} characters)_`);
  lines.push('| Stage | Status | Output | Time |', '|-------|--------|--------|------|');
  const folded: string[] = [];
  let namesCut = false;
  for (const stage of view.stages) {
    const name = cutText(stage.name, MAX_NAME);
    namesCut ||= name !== stage.name;
    const parts: string[] = [];
    const r = stage.record;
    if (r?.link) parts.push(`[View](${linkTarget(r.link)})`);
    if (r) {
      const known = input.outputs.get(r.id) ?? (r.output && !r.outputCut ? { text: r.output, cut: 0 } : undefined);
      if (known && isLong(known.text)) {
        folded.push(detailsBlock(marker, name, r, known, budgets.get(r.id)));
        parts.push('output below');
      } else if (known) {
        parts.push(inline(known.text));
      } else if (r.output) {
        parts.push(`${inline(r.output)}${r.link ? ` ([full output](${linkTarget(r.link)}))` : ''}`);
      }
    }
    lines.push(`| ${inline(name)} | ${STATUS_EMOJI[stage.status]} | ${parts.length ? parts.join(' · ') : '-'} | ${time(stage)} |`);
  }
  if (namesCut) lines.push('', `_(stage names longer than ${MAX_NAME} characters are cut)_`);
  lines.push(...folded);
  lines.push('', `<sub>${STATUSES.map((s) => `${STATUS_EMOJI[s]} ${s}`).join(' · ')} · times in UTC</sub>`);
  // Outputs are stored once: a long one lives in its details block, not in the cache too.
  const records = input.records.map((r) =>
    r.kind === 'stage' && r.output && r.output.length > 140 ? { ...r, output: undefined, outputCut: true } : r,
  );
  const state = { v: 2, sha, ...(view.title ? { title: view.title } : {}), records };
  lines.push(`${statePrefix(marker)}${serialize(state)} -->`);
  return lines.join('\n');
}

function detailsBlock(marker: string, name: string, r: StageRecord, known: KnownOutput, budget: number | undefined): string {
  const escaped = escapeOutput(known.text);
  const { kept, closer } = new OutputCutter(escaped).cut(budget ?? escaped.length);
  const cut = known.cut + (known.text.length - unescapeOutput(kept).length);
  const note = cut
    ? `\n_(output cut by ${cut.toLocaleString('en-US')} characters to fit GitHub's ${MAX_BODY.toLocaleString('en-US')}-character comment limit; the full output is in the ${r.link ? `[job summary](${linkTarget(r.link)})` : 'job summary'})_`
    : '';
  return [
    '',
    `<details><summary>${escapeHtml(name)}: output</summary>`,
    `${outputPrefix(marker)}${r.id}:${kept.length}:${hash(kept)}:${cut} -->`,
    '',
    `${kept}${closer}`,
    '',
    `<!-- ${marker}-output-end -->${note}`,
    '',
    '</details>',
  ].join('\n');
}

/** The dashboard for the job summary: the same markdown without the hidden comments. */
export function summaryMarkdown(body: string): string {
  return body
    .split('\n')
    .filter((line) => !/^<!-- .* -->$/.test(line))
    .join('\n');
}

function time(stage: StageView): string {
  if (stage.status === 'pending' || !stage.record?.at) return '-';
  const d = new Date(stage.record.at);
  if (Number.isNaN(d.getTime())) return '-';
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

function isLong(output: string): boolean {
  return output.length > SHORT_OUTPUT || /\r?\n/.test(output);
}

export function cutText(text: string, max: number): string {
  const cps = [...text];
  return cps.length <= max ? text : `${cps.slice(0, max - 1).join('')}…`;
}

/** Text for one table cell: no line breaks, pipes escaped, no HTML comment openers. */
function inline(text: string): string {
  return escapeOutput(text).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function linkTarget(url: string): string {
  return url.replace(/[()\s]/g, (c) => encodeURIComponent(c));
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** JSON safe inside an HTML comment: `--` and `<` only occur in strings, where \u escapes mean the same. */
function serialize(value: unknown): string {
  return JSON.stringify(value).replace(/--/g, '-\\u002d').replace(/</g, '\\u003c');
}

/** FNV-1a, to notice a hand-edited output block. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
