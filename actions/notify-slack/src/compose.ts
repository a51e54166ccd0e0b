import type { Inputs } from './inputs.js';
import { applyLimits, validatePayload, type Payload } from './limits.js';
import { buildMessage, defaultTitle } from './message.js';
import { escapeMrkdwn } from './mrkdwn.js';
import type { RunInfo } from './run-info.js';
import { applyTemplate, templateVariables } from './template.js';

/** `webhook` for both webhook kinds, `none` when this step posts nothing (a reaction or upload only). */
export type Method = 'webhook' | 'chat.postMessage' | 'chat.update' | 'none' | (string & {});

export interface Composed {
  payload: Payload | undefined;
  method: Method;
  /** Slack limits applied (logged). */
  notes: string[];
  /** Why the payload cannot be sent (nothing is sent). */
  problems: string[];
}

export interface ComposeContext {
  info: RunInfo;
  /** The resolved mention, '' when none applies. */
  mention: string;
  eventName: string;
  job: string;
}

const CHAT_METHODS = ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'chat.scheduleMessage'];

/** What this step sends, and with which method: the built message, a custom payload, or method arguments. */
export function composePayload(inputs: Inputs, ctx: ComposeContext): Composed {
  const { destination, status } = inputs;
  const title = (inputs.title.trim() || (status ? defaultTitle(status, ctx.info.workflow) : '')).replace(/\s+/g, ' ');
  const vars = templateVariables({ ...ctx, status, title, text: inputs.text.trim() });
  const problems: string[] = [];
  let custom: Payload | undefined;
  if (inputs.payload) {
    const { value, from } = inputs.payload;
    if (from === 'payload-file') {
      const filled = applyTemplate(value, vars);
      problems.push(...filled.problems.map((p) => `Input 'payload-file': ${p}`));
      custom = filled.value as Payload;
    } else custom = value;
  }
  if (problems.length > 0) return { payload: undefined, method: 'none', notes: [], problems };
  const from = inputs.payload?.from ?? 'payload';

  if (inputs.method) {
    const chat = CHAT_METHODS.includes(inputs.method);
    const args: Payload =
      destination.kind === 'api' && custom?.channel === undefined ? { channel: destination.channel, ...custom } : { ...custom };
    if (chat) problems.push(...validatePayload(args).map((p) => `Input '${from}': ${p}`));
    const { payload, notes } = chat ? applyLimits(args) : { payload: args, notes: [] };
    return { payload, method: inputs.method, notes, problems };
  }

  if (destination.kind === 'webhook' && destination.type === 'workflow-trigger') {
    // Workflow Builder takes a flat object of text variables, not Block Kit.
    const variables = custom ? flatten(custom) : workflowVariables(vars, inputs);
    return { payload: variables, method: 'webhook', notes: [], problems };
  }

  let message: Payload | undefined = custom;
  if (custom)
    problems.push(
      ...validatePayload(custom).map((p) => `Input '${from}': ${p}: expected a Slack message such as {"text": "…", "blocks": [...]}`),
    );
  else if (status)
    message = buildMessage({ status, title: inputs.title, text: inputs.text, fields: inputs.fields, mention: ctx.mention }, ctx.info);
  if (!message) return { payload: undefined, method: 'none', notes: [], problems };
  if (problems.length > 0) return { payload: undefined, method: 'none', notes: [], problems };

  const { payload, notes } = applyLimits(message);
  if (destination.kind !== 'api') return { payload, method: 'webhook', notes, problems };
  const body: Payload = { ...payload, channel: destination.channel };
  if (inputs.updateTs) return { payload: { ...body, ts: inputs.updateTs }, method: 'chat.update', notes, problems };
  if (inputs.threadTs) body.thread_ts = inputs.threadTs;
  return { payload: body, method: 'chat.postMessage', notes, problems };
}

/** The variables a Workflow Builder trigger gets without a payload: the template variables, plain names, and the fields. */
function workflowVariables(vars: Record<string, string | undefined>, inputs: Inputs): Payload {
  const out: Payload = {};
  for (const [name, value] of Object.entries(vars)) {
    if (name === 'job.status' || value === undefined) continue;
    out[name.replace(/^github\./, '')] = value;
  }
  for (const f of inputs.fields)
    out[
      `field_${f.label
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_|_$/g, '')}`
    ] = escapeMrkdwn(f.value);
  return out;
}

/** Nested keys joined with `_`, every value a string (Workflow Builder variables are text). */
export function flatten(value: Payload, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    const name = prefix ? `${prefix}_${key}` : key;
    if (typeof v === 'object' && v !== null) Object.assign(out, flatten(v as Payload, name));
    else out[name] = v === null || v === undefined ? '' : String(v);
  }
  return out;
}
