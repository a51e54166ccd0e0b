import { LIMITS, type Payload } from './limits.js';
import { escapeMrkdwn, safeText, truncate } from './mrkdwn.js';
import { runLink, type RunInfo } from './run-info.js';
import { statusLook, type Status } from './status.js';

export interface Field {
  label: string;
  value: string;
}

export interface MessageSpec {
  status: Status;
  /** '' gives `{workflow} {status word}`. */
  title: string;
  text: string;
  fields: Field[];
  /** A Slack control sequence (`<!channel>`), put in unescaped; '' when no mention applies. */
  mention: string;
}

/** Commit titles are shown in the context line; longer ones are cut so the line stays readable. */
export const COMMIT_TITLE_MAX = 300;

export function defaultTitle(status: Status, workflow: string): string {
  return `${workflow.trim() || 'Workflow'} ${statusLook(status).word}`;
}

/** A URL inside `<url|label>`: only &, < and > need escaping there. */
function link(url: string, label: string): string {
  return `<${escapeMrkdwn(url)}|${label}>`;
}

/**
 * Builds the Block Kit message: a header with the status emoji, the mention and text, the fields
 * (10 a section), and a colour bar (attachment) holding the run context. Every value is escaped and
 * cut to Slack's limits; the object is JSON-encoded by the caller, never pasted together as text.
 */
export function buildMessage(spec: MessageSpec, info: RunInfo): Payload {
  const look = statusLook(spec.status);
  // A header is one line: newlines and runs of spaces in a title become one space.
  const title = (spec.title.trim() || defaultTitle(spec.status, info.workflow)).replace(/\s+/g, ' ');
  const mention = spec.mention.trim();
  const blocks: Payload[] = [
    { type: 'header', text: { type: 'plain_text', text: safeText(`${look.emoji} ${title}`, LIMITS.header), emoji: true } },
  ];

  if (mention || spec.text.trim()) {
    const room = LIMITS.sectionText - (mention ? mention.length + 1 : 0);
    const body = spec.text.trim() ? safeText(spec.text.trim(), Math.max(room, 20)) : '';
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: [mention, body].filter(Boolean).join(' ') } });
  }

  const fields = spec.fields.map((f) => ({
    type: 'mrkdwn',
    text: truncate(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value) || '—'}`, LIMITS.fieldText),
  }));
  for (let i = 0; i < fields.length; i += LIMITS.fieldsPerSection)
    blocks.push({ type: 'section', fields: fields.slice(i, i + LIMITS.fieldsPerSection) });

  const context = contextElements(spec.status, info).map((text) => ({ type: 'mrkdwn', text }));
  return {
    text: fallbackText(spec, info, title, mention),
    blocks,
    attachments: [{ color: look.color, blocks: [{ type: 'context', elements: context }] }],
  };
}

function contextElements(status: Status, info: RunInfo): string[] {
  const { serverUrl, repository } = info;
  const repoUrl = repository ? `${serverUrl}/${repository}` : '';
  const items = [`${statusLook(status).emoji} *${status}*`];
  if (repository) items.push(link(repoUrl, escapeMrkdwn(repository)));
  if (info.ref) items.push(`\`${safeText(info.ref, 250)}\``);
  if (info.sha)
    items.push(repoUrl ? link(`${repoUrl}/commit/${info.sha}`, escapeMrkdwn(info.sha.slice(0, 7))) : escapeMrkdwn(info.sha.slice(0, 7)));
  if (info.commitTitle) items.push(safeText(info.commitTitle, COMMIT_TITLE_MAX));
  if (info.workflow) items.push(safeText(info.workflow, 250));
  if (info.actor) items.push(`by ${safeText(info.actor, 100)}`);
  const run = runLink(info);
  if (run)
    items.push(link(run, `#${escapeMrkdwn(info.runNumber || info.runId)}${info.runAttempt > 1 ? ` (attempt ${info.runAttempt})` : ''}`));
  return items;
}

/** The notification text (and what screen readers and old clients show): everything, escaped, within 40,000. */
function fallbackText(spec: MessageSpec, info: RunInfo, title: string, mention: string): string {
  const lines = [`${mention ? `${mention} ` : ''}${statusLook(spec.status).emoji} ${escapeMrkdwn(title)}`];
  if (spec.text.trim()) lines.push(escapeMrkdwn(spec.text.trim()));
  for (const f of spec.fields) lines.push(`${escapeMrkdwn(f.label)}: ${escapeMrkdwn(f.value)}`);
  const run = runLink(info);
  if (run) lines.push(`Run: ${link(run, `#${escapeMrkdwn(info.runNumber || info.runId)}`)}`);
  return truncate(lines.join('\n'), LIMITS.text);
}
