/** Escaping and truncation for Slack text, so any input is safe and within Block Kit limits. */

export const TRUNCATED = '…(truncated)';

/** Escapes the three characters Slack's mrkdwn parses as control characters. */
export function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Cuts `text` to at most `max` UTF-16 units, ending in a visible marker. Never splits a surrogate pair,
 * an `&amp;`-style entity or a `<link|label>` control sequence.
 */
export function truncate(text: string, max: number, marker = TRUNCATED): string {
  if (text.length <= max) return text;
  if (max <= marker.length) return marker.slice(0, Math.max(0, max));
  let cut = max - marker.length;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  let head = text.slice(0, cut);
  const entity = /&[a-z#0-9]{0,6}$/i.exec(head);
  if (entity) head = head.slice(0, entity.index);
  const open = head.lastIndexOf('<');
  if (open > head.lastIndexOf('>')) head = head.slice(0, open);
  return `${head}${marker}`;
}

/** Escapes, then truncates to `max`. */
export function safeText(value: string, max: number): string {
  return truncate(escapeMrkdwn(value), max);
}

/** The first line of a commit message or title, trimmed. */
export function firstLine(value: string): string {
  return (value.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim();
}
