import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Slack capture server on loopback: incoming webhooks (`POST /services/T…/B…/secret`, answering
 * text like Slack: `ok`, `invalid_payload`, `no_text`, `invalid_blocks`, `no_service`) and the Web API
 * methods `chat.postMessage` and `chat.update` (`POST /api/<method>`, Bearer auth, JSON or form bodies,
 * `{ok:true, channel, ts, message}` or `{ok:false, error}`). It checks Block Kit limits the way Slack
 * does, records every request, and takes injected faults (429 + Retry-After, 5xx, a held response,
 * a reset connection, an `ok:false` reply).
 */

export interface SlackRequest {
  /** `webhook`, or the Web API method (`chat.postMessage`, `chat.update`, ...). */
  endpoint: string;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed body: JSON, or form fields (with `blocks`/`attachments` JSON-decoded, as Slack does). */
  body: Record<string, unknown> | undefined;
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
  injectFault(fault: SlackFault): void;
  /** Registers another incoming webhook and returns its URL. */
  addWebhook(channel?: string): string;
  stop(): Promise<void>;
}

export const SLACK_TEST_TOKEN = 'xoxb-1111111111-2222222222-capturetesttoken';

const LIMITS = { header: 150, sectionText: 3000, fieldText: 2000, fields: 10, blocks: 50, text: 40_000, contextElements: 10 };

export async function startSlackServer(options: SlackServerOptions = {}): Promise<SlackServer> {
  const requests: SlackRequest[] = [];
  const messages: SlackMessage[] = [];
  const faults: SlackFault[] = [];
  const webhooks = new Map<string, string>();
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

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', url).pathname;
    const method = req.method ?? 'GET';
    const endpoint = path.startsWith('/services/') ? 'webhook' : path.startsWith('/api/') ? path.slice('/api/'.length) : path;
    const record: SlackRequest = {
      endpoint,
      method,
      path,
      headers: req.headers,
      body: undefined,
      rawBody,
      status: 0,
      result: '',
      at: Date.now(),
    };
    requests.push(record);
    const parsed = parseBody(req.headers['content-type'] ?? '', rawBody, endpoint === 'webhook');
    record.body = parsed.body;

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
    addWebhook,
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
        body[key] = ['blocks', 'attachments', 'metadata'].includes(key) ? tryJson(value) : value;
      }
      return { body, invalid: false };
    }
    return asObject(JSON.parse(raw));
  } catch {
    return { invalid: true };
  }
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
  return blocks.every(validBlock);
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
        b.elements.every(
          (e) =>
            textObject(e, LIMITS.sectionText) || (typeof e === 'object' && e !== null && (e as Record<string, unknown>).type === 'image'),
        )
      );
    case 'divider':
      return true;
    case 'actions':
    case 'image':
    case 'rich_text':
    case 'input':
    case 'file':
    case 'video':
      return true;
    default:
      return false;
  }
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
