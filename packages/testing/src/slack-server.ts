import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Slack capture server on loopback: incoming webhooks (`POST /services/T…/B…/secret`, answering
 * text like Slack: `ok`, `invalid_payload`, `no_text`, `invalid_blocks`, `no_service`), Workflow Builder
 * triggers (`POST /triggers/T…/…/secret`, a flat object of text variables, JSON answers), and the Web API
 * (`POST /api/<method>`, Bearer auth, JSON, form or multipart bodies, `{ok:true, …}` or `{ok:false, error}`):
 * `chat.postMessage`, `chat.update`, `reactions.add`, the three steps of `files.uploadV2`
 * (`files.getUploadURLExternal`, the upload URL POST, `files.completeUploadExternal`), `auth.test`, and any
 * method registered with `addMethod`. It checks Block Kit limits the way Slack does, records every
 * request, and takes injected faults (429 + Retry-After, 5xx, a held response, a reset connection, an
 * `ok:false` reply).
 */

export interface SlackRequest {
  /** `webhook`, `trigger`, `upload` (a files.uploadV2 upload URL), or the Web API method (`chat.postMessage`, ...). */
  endpoint: string;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed body: JSON, or form / multipart fields (JSON-valued ones decoded, as Slack does; a multipart file as its text). */
  body: Record<string, unknown> | undefined;
  /** The files of a multipart body. */
  files: MultipartFile[];
  rawBody: string;
  /** The HTTP status answered (0 when the connection was held or reset). */
  status: number;
  /** `ok` for webhooks, the `error` code of an `ok:false` reply, or the fault kind. */
  result: string;
  at: number;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown;
  attachments?: unknown;
  /** Every version of the message, oldest first (chat.update appends). */
  history: Record<string, unknown>[];
  via: 'webhook' | 'api';
}

export interface MultipartFile {
  field: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

/** A file completed with files.completeUploadExternal. */
export interface SlackFile {
  id: string;
  filename: string;
  title: string;
  content: Buffer;
  channel: string;
  thread_ts?: string;
  initial_comment?: string;
}

/** A reaction added with reactions.add. */
export interface SlackReaction {
  channel: string;
  ts: string;
  name: string;
}

/** A Workflow Builder trigger call: the variables as received. */
export interface SlackTriggerCall {
  url: string;
  variables: Record<string, string>;
}

/** Answers a registered Web API method: the reply's fields besides `ok` (or `{error}` to refuse). */
export type SlackMethodHandler = (body: Record<string, unknown>) => Record<string, unknown> & { error?: string };

export interface SlackFault {
  /** `webhook` or a Web API method name; any endpoint when absent. */
  endpoint?: string;
  /** How many matching requests it hits; default 1. */
  times?: number;
  /**
   * `rate-limit`: 429 with Retry-After; `status`: that HTTP status; `timeout`: the response is held
   * until `holdMs` passes (then the socket is destroyed) or the server stops; `reset`: the socket is
   * destroyed at once; `error`: a 200 `{ok:false, error}` reply (webhook: that error text with `status`, default 400).
   */
  kind: 'rate-limit' | 'status' | 'timeout' | 'reset' | 'error';
  status?: number;
  retryAfterSeconds?: number;
  /** Slack's error code for `error` faults, e.g. `channel_not_found`, `invalid_blocks`. */
  error?: string;
  holdMs?: number;
}

export interface SlackServerOptions {
  /** Known channels, name → ID. When given, other names answer `channel_not_found`; by default any name works. */
  channels?: Record<string, string>;
  /** Accepted bot tokens. By default any `xox?-…` token without `invalid` in it is accepted. */
  tokens?: string[];
}

export interface SlackServer {
  /** Base URL, `http://127.0.0.1:PORT`. */
  url: string;
  /** The Web API base for `slack-api-url` / `slackApiUrl`: `${url}/api/`. */
  apiUrl: string;
  /** A registered incoming webhook URL (secret path). */
  webhookUrl: string;
  /** A bot token the server accepts. */
  token: string;
  requests: SlackRequest[];
  messages: SlackMessage[];
  /** Files completed by files.uploadV2, in completion order. */
  files: SlackFile[];
  reactions: SlackReaction[];
  triggers: SlackTriggerCall[];
  injectFault(fault: SlackFault): void;
  /** Registers another incoming webhook and returns its URL. */
  addWebhook(channel?: string): string;
  /** Registers a Workflow Builder trigger and returns its URL. */
  addTrigger(): string;
  /** Answers Web API `method` with `handler` (e.g. `bookmarks.add`); unregistered methods answer `unknown_method`. */
  addMethod(method: string, handler: SlackMethodHandler): void;
  stop(): Promise<void>;
}

export const SLACK_TEST_TOKEN = 'xoxb-1111111111-2222222222-capturetesttoken';

const LIMITS = {
  header: 150,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  blocks: 50,
  text: 40_000,
  contextElements: 10,
  markdown: 12_000,
  imageUrl: 3000,
  altText: 2000,
};

export async function startSlackServer(options: SlackServerOptions = {}): Promise<SlackServer> {
  const requests: SlackRequest[] = [];
  const messages: SlackMessage[] = [];
  const faults: SlackFault[] = [];
  const webhooks = new Map<string, string>();
  const triggerPaths = new Set<string>();
  const files: SlackFile[] = [];
  const reactions: SlackReaction[] = [];
  const triggers: SlackTriggerCall[] = [];
  const pendingUploads = new Map<string, { filename: string; length: number; content?: Buffer }>();
  const methods = new Map<string, SlackMethodHandler>();
  const held = new Set<ServerResponse>();
  let clock = 1_700_000_000;
  let seq = 0;
  const nextTs = () => `${++clock}.${String(++seq).padStart(6, '0')}`;

  const channelId = (channel: string): string | undefined => {
    const name = channel.replace(/^#/, '');
    if (/^[CGD][A-Z0-9]{6,}$/.test(name)) return name;
    if (options.channels) return options.channels[name];
    return `C${(hash(name) >>> 0).toString(36).toUpperCase().padStart(8, '0')}`;
  };
  const tokenOk = (token: string): boolean =>
    options.tokens ? options.tokens.includes(token) : token === SLACK_TEST_TOKEN || (/^xox[abp]-/.test(token) && !/invalid/i.test(token));

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const addWebhook = (channel = 'general'): string => {
    const path = `/services/T0CAPTURE/B${randomBytes(5).toString('hex').toUpperCase()}/${randomBytes(12).toString('hex')}`;
    webhooks.set(path, channel);
    return `${url}${path}`;
  };

  const addTrigger = (): string => {
    const path = `/triggers/T0CAPTURE/${randomBytes(5).toString('hex')}/${randomBytes(12).toString('hex')}`;
    triggerPaths.add(path);
    return `${url}${path}`;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const rawBody = raw.toString('utf8');
    const path = new URL(req.url ?? '/', url).pathname;
    const method = req.method ?? 'GET';
    const endpoint = path.startsWith('/services/')
      ? 'webhook'
      : path.startsWith('/triggers/')
        ? 'trigger'
        : path.startsWith('/upload/')
          ? 'upload'
          : path.startsWith('/api/')
            ? path.slice('/api/'.length)
            : path;
    const record: SlackRequest = {
      endpoint,
      method,
      path,
      headers: req.headers,
      body: undefined,
      files: [],
      rawBody,
      status: 0,
      result: '',
      at: Date.now(),
    };
    requests.push(record);
    const contentType = req.headers['content-type'] ?? '';
    const parsed = contentType.includes('multipart/form-data')
      ? parseMultipartBody(contentType, raw)
      : { ...parseBody(contentType, rawBody, endpoint === 'webhook'), files: [] };
    record.body = parsed.body;
    record.files = parsed.files;

    const fault = faults.find((f) => (!f.endpoint || f.endpoint === endpoint) && (f.times ?? 1) > 0);
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      record.result = fault.kind;
      if (fault.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'timeout') {
        held.add(res);
        const timer = setTimeout(() => {
          held.delete(res);
          res.socket?.destroy();
        }, fault.holdMs ?? 600_000);
        timer.unref();
        res.on('close', () => {
          clearTimeout(timer);
          held.delete(res);
        });
        return;
      }
      if (fault.kind === 'rate-limit') {
        const headers = { 'retry-after': String(fault.retryAfterSeconds ?? 1) };
        if (endpoint === 'webhook') return sendText(res, record, 429, 'rate_limited', headers);
        return sendJson(res, record, 429, { ok: false, error: 'ratelimited' }, headers);
      }
      if (fault.kind === 'status') {
        const status = fault.status ?? 500;
        if (endpoint === 'webhook') return sendText(res, record, status, status >= 500 ? 'rollup_error' : 'error');
        return sendText(res, record, status, `<html><body>${status} fake Slack error</body></html>`, { 'content-type': 'text/html' });
      }
      const error = fault.error ?? 'internal_error';
      record.result = error;
      if (endpoint === 'webhook') return sendText(res, record, fault.status ?? 400, error);
      return sendJson(res, record, 200, { ok: false, error });
    }

    if (method !== 'POST') return sendText(res, record, 405, 'method_not_allowed');

    if (endpoint === 'webhook') {
      const channel = webhooks.get(path);
      if (!channel) return sendText(res, record, 404, 'no_service');
      if (parsed.invalid || !parsed.body) return sendText(res, record, 400, 'invalid_payload');
      const problem = checkMessage(parsed.body);
      if (problem) return sendText(res, record, 400, problem);
      const ts = nextTs();
      messages.push({ channel, ts, ...pickMessage(parsed.body), history: [parsed.body], via: 'webhook' });
      return sendText(res, record, 200, 'ok');
    }

    if (endpoint === 'trigger') {
      if (!triggerPaths.has(path)) return sendJson(res, record, 404, { ok: false, error: 'invalid_trigger' });
      const body = parsed.body;
      if (parsed.invalid || !body) return sendJson(res, record, 400, { ok: false, error: 'invalid_json' });
      // Workflow Builder variables are text: a nested object or a number is refused.
      if (Object.values(body).some((v) => typeof v !== 'string'))
        return sendJson(res, record, 400, { ok: false, error: 'invalid_workflow_input' });
      triggers.push({ url: `${url}${path}`, variables: body as Record<string, string> });
      return sendJson(res, record, 200, { ok: true });
    }

    if (endpoint === 'upload') {
      const id = path.split('/').at(-1) ?? '';
      const pending = pendingUploads.get(id);
      if (!pending) return sendText(res, record, 404, 'not_found');
      const content = parsed.files[0]?.content ?? raw;
      if (content.length !== pending.length) return sendText(res, record, 400, 'length_mismatch');
      pending.content = content;
      return sendText(res, record, 200, `OK - ${content.length}`);
    }

    if (!path.startsWith('/api/')) return sendText(res, record, 404, 'not_found');
    const auth =
      /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? (typeof parsed.body?.token === 'string' ? parsed.body.token : '');
    if (!auth) return sendJson(res, record, 200, { ok: false, error: 'not_authed' });
    if (!tokenOk(auth)) return sendJson(res, record, 200, { ok: false, error: 'invalid_auth' });
    if (parsed.invalid || !parsed.body) return sendJson(res, record, 200, { ok: false, error: 'invalid_json' });
    const body = parsed.body;

    if (endpoint === 'chat.postMessage' || endpoint === 'chat.update') {
      if (typeof body.channel !== 'string' || body.channel === '')
        return sendJson(res, record, 200, { ok: false, error: 'channel_not_found' });
      const channel = channelId(body.channel);
      if (!channel) return sendJson(res, record, 200, { ok: false, error: 'channel_not_found' });
      if (typeof body.blocks === 'string' || typeof body.attachments === 'string')
        return sendJson(res, record, 200, { ok: false, error: 'invalid_blocks_format' });
      const problem = checkMessage(body);
      if (problem) return sendJson(res, record, 200, { ok: false, error: problem });
      if (endpoint === 'chat.postMessage') {
        const ts = nextTs();
        const threadTs = typeof body.thread_ts === 'string' && body.thread_ts !== '' ? body.thread_ts : undefined;
        const message: SlackMessage = {
          channel,
          ts,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...pickMessage(body),
          history: [body],
          via: 'api',
        };
        messages.push(message);
        return sendJson(res, record, 200, { ok: true, channel, ts, message: publicMessage(message) });
      }
      const ts = typeof body.ts === 'string' ? body.ts : '';
      const message = messages.find((m) => m.ts === ts && m.channel === channel && m.via === 'api');
      if (!ts || !message) return sendJson(res, record, 200, { ok: false, error: 'message_not_found' });
      Object.assign(message, pickMessage(body));
      message.history.push(body);
      return sendJson(res, record, 200, { ok: true, channel, ts, text: message.text ?? '', message: publicMessage(message) });
    }
    if (endpoint === 'reactions.add') {
      const channel = typeof body.channel === 'string' ? channelId(body.channel) : undefined;
      const name = typeof body.name === 'string' ? body.name : '';
      if (!channel) return sendJson(res, record, 200, { ok: false, error: 'channel_not_found' });
      if (!name) return sendJson(res, record, 200, { ok: false, error: 'invalid_name' });
      const message = messages.find((m) => m.ts === body.timestamp && m.channel === channel);
      if (!message) return sendJson(res, record, 200, { ok: false, error: 'message_not_found' });
      if (reactions.some((r) => r.channel === channel && r.ts === message.ts && r.name === name))
        return sendJson(res, record, 200, { ok: false, error: 'already_reacted' });
      reactions.push({ channel, ts: message.ts, name });
      return sendJson(res, record, 200, { ok: true });
    }
    if (endpoint === 'files.getUploadURLExternal') {
      const length = Number(body.length);
      if (typeof body.filename !== 'string' || body.filename === '')
        return sendJson(res, record, 200, { ok: false, error: 'invalid_arguments' });
      if (!Number.isInteger(length) || length <= 0) return sendJson(res, record, 200, { ok: false, error: 'invalid_arguments' });
      const id = `F${randomBytes(5).toString('hex').toUpperCase()}`;
      pendingUploads.set(id, { filename: body.filename, length });
      return sendJson(res, record, 200, { ok: true, upload_url: `${url}/upload/v1/${id}`, file_id: id });
    }
    if (endpoint === 'files.completeUploadExternal') {
      const list = typeof body.files === 'string' ? tryJson(body.files) : body.files;
      if (!Array.isArray(list) || list.length === 0) return sendJson(res, record, 200, { ok: false, error: 'invalid_arguments' });
      const channel = typeof body.channel_id === 'string' ? channelId(body.channel_id) : undefined;
      if (body.channel_id !== undefined && !channel) return sendJson(res, record, 200, { ok: false, error: 'channel_not_found' });
      const threadTs = typeof body.thread_ts === 'string' && body.thread_ts !== '' ? body.thread_ts : undefined;
      if (threadTs && !messages.some((m) => m.ts === threadTs && m.channel === channel))
        return sendJson(res, record, 200, { ok: false, error: 'invalid_thread_ts' });
      const done: SlackFile[] = [];
      for (const item of list as { id?: string; title?: string }[]) {
        const pending = pendingUploads.get(item.id ?? '');
        if (!pending?.content) return sendJson(res, record, 200, { ok: false, error: 'file_not_found' });
        done.push({
          id: item.id!,
          filename: pending.filename,
          title: item.title ?? pending.filename,
          content: pending.content,
          channel: channel ?? '',
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...(typeof body.initial_comment === 'string' ? { initial_comment: body.initial_comment } : {}),
        });
      }
      for (const f of done) pendingUploads.delete(f.id);
      files.push(...done);
      return sendJson(res, record, 200, { ok: true, files: done.map((f) => ({ id: f.id, name: f.filename, title: f.title })) });
    }
    const handler = methods.get(endpoint);
    if (handler) {
      const answer = handler(body);
      return sendJson(res, record, 200, answer.error ? { ok: false, ...answer } : { ok: true, ...answer });
    }
    if (endpoint === 'auth.test')
      return sendJson(res, record, 200, {
        ok: true,
        url: `${url}/`,
        team: 'Capture',
        user: 'pipeline-bot',
        team_id: 'T0CAPTURE',
        user_id: 'U0BOT',
      });
    return sendJson(res, record, 200, { ok: false, error: 'unknown_method' });
  }

  const webhookUrl = addWebhook('general');
  return {
    url,
    apiUrl: `${url}/api/`,
    webhookUrl,
    token: SLACK_TEST_TOKEN,
    requests,
    messages,
    files,
    reactions,
    triggers,
    addWebhook,
    addTrigger,
    addMethod: (method, handler) => void methods.set(method, handler),
    injectFault: (fault) => faults.push({ times: 1, ...fault }),
    stop: async () => {
      for (const res of held) res.socket?.destroy();
      held.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseBody(type: string, raw: string, webhook: boolean): { body?: Record<string, unknown>; invalid: boolean } {
  if (raw === '') return { invalid: false };
  try {
    if (type.includes('application/x-www-form-urlencoded')) {
      const form = new URLSearchParams(raw);
      if (webhook) {
        const payload = form.get('payload');
        return payload === null ? { invalid: true } : asObject(JSON.parse(payload));
      }
      const body: Record<string, unknown> = {};
      for (const [key, value] of form) {
        // Slack decodes JSON-valued form fields; a field that is not JSON stays a string (and is refused later).
        body[key] = ['blocks', 'attachments', 'metadata', 'files'].includes(key) ? tryJson(value) : value;
      }
      return { body, invalid: false };
    }
    return asObject(JSON.parse(raw));
  } catch {
    return { invalid: true };
  }
}

/** A multipart/form-data body: text fields into `body` (JSON-valued ones decoded), file parts into `files`. */
function parseMultipartBody(type: string, raw: Buffer): { body?: Record<string, unknown>; files: MultipartFile[]; invalid: boolean } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
  if (!boundary) return { invalid: true, files: [] };
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const body: Record<string, unknown> = {};
  const files: MultipartFile[] = [];
  let at = raw.indexOf(delimiter);
  if (at < 0) return { invalid: true, files: [] };
  for (let parts = 0; parts < 1000; parts++) {
    const start = at + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next < 0) return { invalid: true, files };
    const part = raw.subarray(start + 2, next - 2); // after CRLF, before CRLF
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) return { invalid: true, files };
    const headers = part.subarray(0, split).toString('utf8');
    const content = part.subarray(split + 4);
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    if (filename !== undefined) {
      const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? 'application/octet-stream';
      files.push({ field: name, filename, contentType, content: Buffer.from(content) });
      body[name] = content.toString('utf8');
    } else {
      const text = content.toString('utf8');
      body[name] = ['blocks', 'attachments', 'metadata', 'files'].includes(name) ? tryJson(text) : text;
    }
    at = next;
  }
  return { body, files, invalid: false };
}

function asObject(value: unknown): { body?: Record<string, unknown>; invalid: boolean } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? { body: value as Record<string, unknown>, invalid: false }
    : { invalid: true };
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Slack's refusals for a message body: `no_text`, `msg_too_long`, `invalid_blocks`, `invalid_attachments`. */
export function checkMessage(body: Record<string, unknown>): string | undefined {
  const text = body.text;
  const hasBlocks = Array.isArray(body.blocks) && body.blocks.length > 0;
  const hasAttachments = Array.isArray(body.attachments) && body.attachments.length > 0;
  if ((typeof text !== 'string' || text === '') && !hasBlocks && !hasAttachments) return 'no_text';
  if (typeof text === 'string' && text.length > LIMITS.text) return 'msg_too_long';
  if (body.blocks !== undefined && !validBlocks(body.blocks)) return 'invalid_blocks';
  if (body.attachments !== undefined) {
    if (!Array.isArray(body.attachments)) return 'invalid_attachments';
    for (const a of body.attachments as unknown[]) {
      if (typeof a !== 'object' || a === null) return 'invalid_attachments';
      const blocks = (a as Record<string, unknown>).blocks;
      if (blocks !== undefined && !validBlocks(blocks)) return 'invalid_blocks';
    }
  }
  return undefined;
}

function validBlocks(blocks: unknown): boolean {
  if (!Array.isArray(blocks) || blocks.length > LIMITS.blocks) return false;
  // All markdown blocks of a message share one 12,000-character budget.
  const markdown = blocks.reduce((n: number, b) => n + (isMarkdownBlock(b) ? b.text.length : 0), 0);
  return markdown <= LIMITS.markdown && blocks.every(validBlock);
}

function isMarkdownBlock(b: unknown): b is { type: 'markdown'; text: string } {
  return (
    typeof b === 'object' &&
    b !== null &&
    (b as Record<string, unknown>).type === 'markdown' &&
    typeof (b as Record<string, unknown>).text === 'string'
  );
}

function textObject(value: unknown, max: number, type?: 'plain_text' | 'mrkdwn'): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Record<string, unknown>;
  if (t.type !== 'plain_text' && t.type !== 'mrkdwn') return false;
  if (type && t.type !== type) return false;
  return typeof t.text === 'string' && t.text.length > 0 && t.text.length <= max;
}

function validBlock(block: unknown): boolean {
  if (typeof block !== 'object' || block === null) return false;
  const b = block as Record<string, unknown>;
  switch (b.type) {
    case 'header':
      return textObject(b.text, LIMITS.header, 'plain_text');
    case 'section': {
      if (b.text === undefined && b.fields === undefined) return false;
      if (b.text !== undefined && !textObject(b.text, LIMITS.sectionText)) return false;
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields) || b.fields.length === 0 || b.fields.length > LIMITS.fields) return false;
        if (!b.fields.every((f) => textObject(f, LIMITS.fieldText))) return false;
      }
      return true;
    }
    case 'context':
      return (
        Array.isArray(b.elements) &&
        b.elements.length > 0 &&
        b.elements.length <= LIMITS.contextElements &&
        b.elements.every((e) => textObject(e, LIMITS.sectionText) || validImage(e))
      );
    case 'markdown':
      return typeof b.text === 'string' && b.text.length > 0 && b.text.length <= LIMITS.markdown;
    case 'image':
      return validImage(b);
    case 'divider':
      return true;
    case 'actions':
    case 'rich_text':
    case 'input':
    case 'file':
    case 'video':
      return true;
    default:
      return false;
  }
}

function validImage(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const image = value as Record<string, unknown>;
  if (image.type !== 'image') return false;
  if (typeof image.alt_text !== 'string' || image.alt_text.length > LIMITS.altText) return false;
  if (image.image_url !== undefined && (typeof image.image_url !== 'string' || image.image_url.length > LIMITS.imageUrl)) return false;
  return image.image_url !== undefined || image.slack_file !== undefined;
}

function pickMessage(body: Record<string, unknown>): Pick<SlackMessage, 'text' | 'blocks' | 'attachments'> {
  return {
    ...(typeof body.text === 'string' ? { text: body.text } : {}),
    ...(body.blocks !== undefined ? { blocks: body.blocks } : {}),
    ...(body.attachments !== undefined ? { attachments: body.attachments } : {}),
  };
}

function publicMessage(m: SlackMessage): Record<string, unknown> {
  return {
    type: 'message',
    user: 'U0BOT',
    bot_id: 'B0BOT',
    ts: m.ts,
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    text: m.text ?? '',
    ...(m.blocks !== undefined ? { blocks: m.blocks } : {}),
    ...(m.attachments !== undefined ? { attachments: m.attachments } : {}),
  };
}

function sendJson(
  res: ServerResponse,
  record: SlackRequest,
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  record.status = status;
  if (!record.result) record.result = body.ok === true ? 'ok' : String(body.error ?? '');
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(json)),
    ...headers,
  });
  res.end(json);
}

function sendText(res: ServerResponse, record: SlackRequest, status: number, text: string, headers: Record<string, string> = {}): void {
  record.status = status;
  if (!record.result) record.result = text;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}
