import { parseStateJson, serializeState, type DashboardState, type StageRecord } from './state.js';
import { STATUSES, STATUS_EMOJI } from './status.js';

/** GitHub refuses comment bodies longer than this many characters. */
export const MAX_BODY = 65_536;
/** Outputs longer than this (or with a line break) are folded into a <details> block under the table. */
export const SHORT_OUTPUT = 100;

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** The first line of a dashboard: `<!-- {marker}:{sha7} -->`. */
export function markerLine(marker: string, sha: string): string {
  return `<!-- ${marker}:${shortSha(sha)} -->`;
}

function stateLinePrefix(marker: string): string {
  return `<!-- ${marker}-state: `;
}

/** True when the body is a dashboard of this marker and commit. */
export function isDashboardOf(body: string, marker: string, sha7: string): boolean {
  return body.startsWith(`${markerLine(marker, sha7)}\n`) || body === markerLine(marker, sha7);
}

/** The sha7 a dashboard body is for, or undefined when it is not one of this marker. */
export function dashboardSha7(body: string, marker: string): string | undefined {
  const m = new RegExp(`^<!-- ${escapeRegExp(marker)}:([0-9a-f]{7}) -->(\\n|$)`).exec(body);
  return m?.[1];
}

/** The state hidden at the end of a dashboard body; undefined when absent or unreadable. */
export function extractState(body: string, marker: string): DashboardState | undefined {
  const prefix = stateLinePrefix(marker);
  const at = body.lastIndexOf(prefix);
  if (at < 0) return undefined;
  const end = body.indexOf(' -->', at + prefix.length);
  if (end < 0) return undefined;
  return parseStateJson(body.slice(at + prefix.length, end));
}

/** Renders the dashboard; a pure function of the state (and marker). */
export function renderDashboard(state: DashboardState, marker: string): string {
  const sha7 = shortSha(state.sha);
  const lines = [
    markerLine(marker, state.sha),
    `## ⚙️ ${inline(state.title || 'Commit Dashboard')} \`${sha7}\``,
    '| Stage | Status | Output | Time |',
    '|-------|--------|--------|------|',
  ];
  const folded: StageRecord[] = [];
  for (const stage of state.stages) {
    const parts: string[] = [];
    if (stage.link) parts.push(`[View](${linkTarget(stage.link)})`);
    if (stage.output) {
      if (isLong(stage.output)) {
        folded.push(stage);
        parts.push('output below');
      } else {
        parts.push(inline(stage.output) + cutNote(stage));
      }
    }
    const time = stage.status === 'pending' || !stage.at ? '-' : hhmm(stage.at);
    lines.push(`| ${inline(stage.name)} | ${STATUS_EMOJI[stage.status]} | ${parts.length ? parts.join(' · ') : '-'} | ${time} |`);
  }
  for (const stage of folded) {
    lines.push(
      '',
      `<details><summary>${escapeHtml(stage.name)}: output</summary>`,
      '',
      neutralizeComments(stage.output ?? '') + cutNote(stage),
      '',
      '</details>',
    );
  }
  lines.push('', `<sub>${STATUSES.map((s) => `${STATUS_EMOJI[s]} ${s}`).join(' · ')} · times in UTC</sub>`);
  lines.push(`${stateLinePrefix(marker)}${serializeState(state)} -->`);
  return lines.join('\n');
}

/**
 * Cuts outputs, longest first, until the rendered body fits GitHub's limit. Every cut output
 * records how much was cut, and the dashboard says so.
 */
export function fitState(state: DashboardState, marker: string, limit = MAX_BODY): DashboardState {
  let current = state;
  for (let round = 0; round < 64; round++) {
    const length = renderDashboard(current, marker).length;
    if (length <= limit) return current;
    const excess = length - limit;
    const candidates = current.stages
      .filter((s) => (s.output ?? '').length > 0)
      .sort((a, b) => (b.output ?? '').length - (a.output ?? '').length);
    const longest = candidates[0];
    if (!longest) break;
    const text = longest.output ?? '';
    // The output appears twice (table or details, and the hidden JSON, where escaping can double it).
    const keep = Math.max(0, text.length - Math.ceil(excess / 2) - 256);
    const kept = text.slice(0, keep).replace(/[\uD800-\uDBFF]$/, '');
    const cut = (longest.cut ?? 0) + (text.length - kept.length);
    current = { ...current, stages: current.stages.map((s) => (s === longest ? { ...s, output: kept, cut } : s)) };
  }
  // Last resort: no outputs at all.
  return { ...current, stages: current.stages.map((s) => (s.output ? { ...s, output: '', cut: (s.cut ?? 0) + s.output.length } : s)) };
}

/** The dashboard for the job summary: the same markdown without the hidden comments. */
export function summaryMarkdown(body: string): string {
  return body
    .split('\n')
    .filter((line) => !/^<!-- .* -->$/.test(line))
    .join('\n');
}

function isLong(output: string): boolean {
  return output.length > SHORT_OUTPUT || /\r?\n/.test(output);
}

function cutNote(stage: StageRecord): string {
  return stage.cut
    ? ` _(output cut by ${stage.cut.toLocaleString('en-US')} characters to fit GitHub's ${MAX_BODY.toLocaleString('en-US')}-character comment limit; see the run for all of it)_`
    : '';
}

/** Text for one table cell: no line breaks, pipes escaped, no HTML comment openers. */
function inline(text: string): string {
  return neutralizeComments(text).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function neutralizeComments(text: string): string {
  return text.replace(/<!--/g, '&lt;!--').replace(/-->/g, '--&gt;');
}

function linkTarget(url: string): string {
  return url.replace(/[()\s]/g, (c) => encodeURIComponent(c));
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function hhmm(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '-';
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
