// Renders a Slack message (Block Kit blocks, attachments, fallback text) as terminal text, roughly as Slack shows it.

type Json = Record<string, unknown>;

/** The message as lines of text: header, sections, fields as `Label: value`, context lines, links as `label (url)`. */
export function renderSlackMessage(message: { text?: unknown; blocks?: unknown; attachments?: unknown }): string {
  const lines: string[] = [];
  const blocks = Array.isArray(message.blocks) ? (message.blocks as Json[]) : [];
  renderBlocks(blocks, lines, '');
  const attachments = Array.isArray(message.attachments) ? (message.attachments as Json[]) : [];
  for (const attachment of attachments) {
    const bar = colorBar(attachment.color);
    if (Array.isArray(attachment.blocks)) renderBlocks(attachment.blocks as Json[], lines, `${bar} `);
    if (typeof attachment.text === 'string')
      lines.push(
        ...mrkdwn(attachment.text)
          .split('\n')
          .map((l) => `${bar} ${l}`),
      );
  }
  if (lines.length === 0 && typeof message.text === 'string') lines.push(...mrkdwn(message.text).split('\n'));
  return lines.join('\n');
}

function renderBlocks(blocks: Json[], lines: string[], prefix: string): void {
  for (const block of blocks) {
    switch (block.type) {
      case 'header':
        lines.push(`${prefix}${textOf(block.text).toUpperCase()}`);
        break;
      case 'section': {
        const text = textOf(block.text);
        if (text) lines.push(...text.split('\n').map((l) => `${prefix}${l}`));
        const fields = Array.isArray(block.fields) ? (block.fields as unknown[]).map(textOf) : [];
        // A field is `*Label*\nvalue`: shown as `Label: value`.
        for (const field of fields) lines.push(`${prefix}  ${field.replace(/^\*([^*\n]+)\*\n/, '$1: ').replace(/\n/g, ' ')}`);
        break;
      }
      case 'context': {
        const elements = Array.isArray(block.elements) ? (block.elements as unknown[]).map(textOf).filter(Boolean) : [];
        if (elements.length > 0) lines.push(`${prefix}${elements.join(' · ')}`);
        break;
      }
      case 'divider':
        lines.push(`${prefix}${'─'.repeat(40)}`);
        break;
      default:
        lines.push(`${prefix}[${String(block.type)} block]`);
    }
  }
}

function textOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '';
  const t = value as Json;
  if (typeof t.text !== 'string') return '';
  return t.type === 'mrkdwn' ? mrkdwn(t.text) : t.text;
}

/** Slack mrkdwn to plain text: links, mentions and the three escapes; bold/italic marks stay. */
export function mrkdwn(text: string): string {
  return text
    .replace(/<!(channel|here|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => label ?? `@${id}`)
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => `#${label ?? id}`)
    .replace(/<([^|<>]+)\|([^<>]+)>/g, '$2 ($1)')
    .replace(/<([a-z]+:[^<>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function colorBar(color: unknown): string {
  if (color === 'good' || color === '#2eb886' || color === '#36a64f') return '🟩';
  if (color === 'danger' || color === '#e01e5a' || color === '#a30200') return '🟥';
  if (color === 'warning' || color === '#daa038') return '🟨';
  return '▌';
}
