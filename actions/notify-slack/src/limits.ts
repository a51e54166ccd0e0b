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
  for (const block of blocks) {
    if (!isObject(block)) {
      out.push(block);
      continue;
    }
    if (block.type === 'header') {
      out.push({ ...block, text: limitText(block.text, LIMITS.header, notes, 'header') });
    } else if (block.type === 'section') {
      const section: Block = { ...block };
      if (section.text !== undefined) section.text = limitText(section.text, LIMITS.sectionText, notes, 'section text');
      if (Array.isArray(section.fields)) {
        const fields = section.fields.map((f) => limitText(f, LIMITS.fieldText, notes, 'field'));
        if (fields.length > LIMITS.fieldsPerSection) {
          notes.push(`a section with ${fields.length} fields split into sections of ${LIMITS.fieldsPerSection}`);
          out.push({ ...section, fields: fields.slice(0, LIMITS.fieldsPerSection) });
          for (let i = LIMITS.fieldsPerSection; i < fields.length; i += LIMITS.fieldsPerSection) {
            out.push({ type: 'section', fields: fields.slice(i, i + LIMITS.fieldsPerSection) });
          }
          continue;
        }
        section.fields = fields;
      }
      out.push(section);
    } else if (block.type === 'context' && Array.isArray(block.elements)) {
      let elements = block.elements.map((e) => limitText(e, LIMITS.contextText, notes, 'context text'));
      if (elements.length > LIMITS.contextElements) {
        notes.push(`context cut to ${LIMITS.contextElements} elements`);
        elements = [...elements.slice(0, LIMITS.contextElements - 1), { type: 'mrkdwn', text: TRUNCATED }];
      }
      out.push({ ...block, elements });
    } else {
      out.push(block);
    }
  }
  if (out.length <= LIMITS.blocks) return out;
  const dropped = out.length - (LIMITS.blocks - 1);
  notes.push(`${where} cut from ${out.length} to ${LIMITS.blocks} blocks`);
  return [
    ...out.slice(0, LIMITS.blocks - 1),
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${TRUNCATED} ${dropped} more blocks not shown` }] },
  ];
}
