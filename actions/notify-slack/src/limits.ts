import { TRUNCATED, truncate } from './mrkdwn.js';

/** Slack's documented Block Kit and message limits. */
export const LIMITS = {
  header: 150,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  contextElements: 10,
  contextText: 3000,
  blocks: 50,
  text: 40_000,
  /** One markdown block, and all markdown blocks of a message together. */
  markdown: 12_000,
  /** Ours: Slack documents no per-block figure and answers msg_blocks_too_long well below 40,000. */
  richText: 4_000,
  imageUrl: 3000,
  altText: 2000,
  imageTitle: 2000,
} as const;

export type Payload = Record<string, unknown>;
type Block = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Problems that make a custom payload unusable; each names what is wrong. Empty when usable. */
export function validatePayload(payload: Payload): string[] {
  const problems: string[] = [];
  const { text, blocks, attachments } = payload;
  if (text !== undefined && typeof text !== 'string') problems.push("'text' must be a string");
  const hasText = typeof text === 'string' && text !== '';
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
  if (!hasText && !hasBlocks && !hasAttachments) problems.push("it has no 'text', 'blocks' or 'attachments'");
  if (blocks !== undefined) problems.push(...checkBlocks(blocks, 'blocks'));
  if (attachments !== undefined) {
    if (!Array.isArray(attachments)) problems.push("'attachments' must be a list");
    else
      attachments.forEach((a, i) => {
        if (!isObject(a)) problems.push(`'attachments[${i}]' must be a mapping`);
        else if (a.blocks !== undefined) problems.push(...checkBlocks(a.blocks, `attachments[${i}].blocks`));
      });
  }
  return problems;
}

function checkBlocks(blocks: unknown, where: string): string[] {
  if (!Array.isArray(blocks)) return [`'${where}' must be a list of blocks`];
  const problems: string[] = [];
  blocks.forEach((b, i) => {
    if (!isObject(b) || typeof b.type !== 'string' || b.type === '') problems.push(`'${where}[${i}]' must be a block with a 'type'`);
  });
  return problems;
}

/**
 * Applies Slack's limits to a payload (a deep copy is returned): long texts are cut with a visible
 * "…(truncated)", sections with more than 10 fields are split, more than 50 blocks end in a
 * truncation note. `notes` says what was changed.
 */
export function applyLimits(input: Payload): { payload: Payload; notes: string[] } {
  const payload = structuredClone(input);
  const notes: string[] = [];
  if (typeof payload.text === 'string' && payload.text.length > LIMITS.text) {
    payload.text = truncate(payload.text, LIMITS.text);
    notes.push(`fallback text cut to ${LIMITS.text} characters`);
  }
  if (Array.isArray(payload.blocks)) payload.blocks = limitBlocks(payload.blocks as Block[], notes, 'blocks');
  if (Array.isArray(payload.attachments)) {
    payload.attachments = (payload.attachments as unknown[]).map((a, i) => {
      if (isObject(a) && Array.isArray(a.blocks))
        return { ...a, blocks: limitBlocks(a.blocks as Block[], notes, `attachments[${i}].blocks`) };
      return a;
    });
  }
  return { payload, notes };
}

function limitText(obj: unknown, max: number, notes: string[], what: string): unknown {
  if (!isObject(obj) || typeof obj.text !== 'string' || obj.text.length <= max) return obj;
  notes.push(`${what} cut to ${max} characters`);
  return { ...obj, text: truncate(obj.text, max) };
}

function limitBlocks(blocks: Block[], notes: string[], where: string): Block[] {
  const out: Block[] = [];
  const budget = { markdown: LIMITS.markdown };
  for (const block of blocks) {
    if (!isObject(block)) out.push(block);
    else out.push(...limitBlock(block, notes, budget));
  }
  if (out.length <= LIMITS.blocks) return out;
  const dropped = out.length - (LIMITS.blocks - 1);
  notes.push(`${where} cut from ${out.length} to ${LIMITS.blocks} blocks`);
  return [
    ...out.slice(0, LIMITS.blocks - 1),
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${TRUNCATED} ${dropped} more blocks not shown` }] },
  ];
}

/** One block within its limits: usually one block back, several when a section's fields are split. */
function limitBlock(block: Block, notes: string[], budget: { markdown: number }): Block[] {
  switch (block.type) {
    case 'header':
      return [{ ...block, text: limitText(block.text, LIMITS.header, notes, 'header') }];
    case 'section':
      return limitSection(block, notes);
    case 'context':
      return Array.isArray(block.elements) ? [limitContext(block, block.elements, notes)] : [block];
    case 'markdown':
      return limitMarkdown(block, notes, budget);
    case 'rich_text':
      return [limitRichText(block, notes)];
    case 'image': {
      const image = limitImage(block, notes, 'image block');
      return [image ?? { type: 'context', elements: [{ type: 'mrkdwn', text: `${TRUNCATED} image not shown: its URL is too long` }] }];
    }
    default:
      return [block];
  }
}

function limitSection(block: Block, notes: string[]): Block[] {
  const section: Block = { ...block };
  if (section.text !== undefined) section.text = limitText(section.text, LIMITS.sectionText, notes, 'section text');
  if (!Array.isArray(section.fields)) return [section];
  const fields = section.fields.map((f) => limitText(f, LIMITS.fieldText, notes, 'field'));
  if (fields.length <= LIMITS.fieldsPerSection) return [{ ...section, fields }];
  notes.push(`a section with ${fields.length} fields split into sections of ${LIMITS.fieldsPerSection}`);
  const out: Block[] = [{ ...section, fields: fields.slice(0, LIMITS.fieldsPerSection) }];
  for (let i = LIMITS.fieldsPerSection; i < fields.length; i += LIMITS.fieldsPerSection)
    out.push({ type: 'section', fields: fields.slice(i, i + LIMITS.fieldsPerSection) });
  return out;
}

function limitContext(block: Block, elements: unknown[], notes: string[]): Block {
  let out = elements.map((e) => {
    if (isObject(e) && e.type === 'image')
      return limitImage(e, notes, 'context image') ?? { type: 'mrkdwn', text: `${TRUNCATED} image not shown` };
    return limitText(e, LIMITS.contextText, notes, 'context text');
  });
  if (out.length > LIMITS.contextElements) {
    notes.push(`context cut to ${LIMITS.contextElements} elements`);
    out = [...out.slice(0, LIMITS.contextElements - 1), { type: 'mrkdwn', text: TRUNCATED }];
  }
  return { ...block, elements: out };
}

/** Markdown blocks share one 12,000-character budget per message; a block with no room left is dropped. */
function limitMarkdown(block: Block, notes: string[], budget: { markdown: number }): Block[] {
  if (typeof block.text !== 'string' || block.text.length <= budget.markdown) {
    if (typeof block.text === 'string') budget.markdown -= block.text.length;
    return [block];
  }
  const room = budget.markdown;
  budget.markdown = 0;
  if (room < TRUNCATED.length + 1) {
    notes.push(`a markdown block left out: all markdown blocks together are limited to ${LIMITS.markdown} characters`);
    return [];
  }
  notes.push(`markdown block cut to ${room} characters (${LIMITS.markdown} for all markdown blocks together)`);
  return [{ ...block, text: truncate(block.text, room) }];
}

/** Cuts the texts of a rich_text block to LIMITS.richText in reading order; later text elements are dropped. */
function limitRichText(block: Block, notes: string[]): Block {
  let left: number = LIMITS.richText;
  let cut = false;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk).filter((n) => n !== undefined);
    if (!isObject(node)) return node;
    if (typeof node.text === 'string' && !Array.isArray(node.elements)) {
      if (node.text.length > left) {
        cut = true;
        // No room even for the marker: the element goes.
        if (left <= TRUNCATED.length) {
          left = 0;
          return undefined;
        }
      }
      const text = node.text.length > left ? truncate(node.text, left) : node.text;
      left -= text.length;
      return { ...node, text };
    }
    if (!Array.isArray(node.elements)) return node;
    const elements = walk(node.elements) as unknown[];
    return elements.length === 0 && cut ? undefined : { ...node, elements };
  };
  const limited = { ...block, elements: walk(block.elements) ?? [] };
  if (cut) notes.push(`rich_text block cut to ${LIMITS.richText} characters`);
  return limited;
}

/** An image within its limits; undefined when its URL is too long to send (a cut URL would point elsewhere). */
function limitImage(image: Block, notes: string[], what: string): Block | undefined {
  if (typeof image.image_url === 'string' && image.image_url.length > LIMITS.imageUrl) {
    notes.push(`${what} left out: its image_url is longer than ${LIMITS.imageUrl} characters`);
    return undefined;
  }
  const out: Block = { ...image };
  if (typeof out.alt_text === 'string' && out.alt_text.length > LIMITS.altText) {
    out.alt_text = truncate(out.alt_text, LIMITS.altText);
    notes.push(`${what} alt_text cut to ${LIMITS.altText} characters`);
  }
  if (out.title !== undefined) out.title = limitText(out.title, LIMITS.imageTitle, notes, `${what} title`);
  return out;
}
