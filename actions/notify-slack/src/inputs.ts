import * as core from '@actions/core';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputErrors, InputReader, splitList, type InputGetter } from '@pipeline-actions/kit';
import type { Payload } from './limits.js';
import type { Field } from './message.js';
import { checkMapEntry, parseJsonUserMap, type UserMap } from './mentions.js';
import { parseStatus, STATUSES, type MentionOn, type Status } from './status.js';

export type WebhookType = 'incoming-webhook' | 'workflow-trigger';
export type Destination =
  { kind: 'webhook'; url: string; type: WebhookType } | { kind: 'api'; token: string; channel: string } | { kind: 'none' };

export interface Inputs {
  destination: Destination;
  /** Undefined with a custom payload or method and no status, or for a reaction/upload-only step. */
  status: Status | undefined;
  title: string;
  text: string;
  fields: Field[];
  /** The mention input as written (resolved later, with the user map). */
  mention: string;
  mentionOn: MentionOn;
  mentionActor: boolean;
  userMap: UserMap;
  updateTs: string;
  threadTs: string;
  /** The custom payload, parsed but not yet templated or checked; with its source input. */
  payload: { value: Payload; from: 'payload' | 'payload-file' } | undefined;
  /** A Web API method to call with the payload instead of posting a message. */
  method: string;
  /** Paths (relative to the workspace) of files for the message's thread; `job-summary` for the job summary. */
  upload: string[];
  reaction: string;
  failOnError: boolean;
  retries: number;
  timeoutSeconds: number;
  maxRetryWaitSeconds: number;
  dryRun: boolean;
  apiUrl: string;
  proxy: string;
  /** Every secret string (webhook URL, its path and key, token, proxy password), for scrubbing messages. */
  secrets: string[];
  /** Inputs given but without effect, and other notes said as warnings (the message can still go out). */
  ignored: string[];
  /** Why nothing can be sent (empty secret, unusable payload): a warning by default, an error with fail-on-error. */
  problems: string[];
}

const STATUS_FORM = `one of ${STATUSES.join(', ')} (e.g. \${{ job.status }}, \${{ needs.<id>.result }} or a workflow_run conclusion)`;
const TS = /^\d+\.\d+$/;
const TS_FORM = "a Slack message ts such as '1700000000.123456' (the ts output of an earlier step)";
const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;
const MAX_PAYLOAD_CHARS = 1_000_000;
const TOKEN_ONLY = ['update-ts', 'thread-ts', 'upload', 'reaction', 'method'] as const;

/** Reads and checks every input; all problems are reported together and nothing is sent when any is found. */
export function getInputs(get?: InputGetter, env: NodeJS.ProcessEnv = process.env): Inputs {
  const r = new InputReader(get);
  const secrets: string[] = [];
  const ignored: string[] = [];
  const problems: string[] = [];

  const webhookUrl = r.secret('webhook-url');
  const token = r.secret('token');
  if (webhookUrl) secrets.push(webhookUrl, ...maskWebhookParts(webhookUrl));
  if (token) secrets.push(token);
  const channel = r.string('channel');
  const dryRun = r.boolean('dry-run');
  const webhookType = r.enumeration('webhook-type', ['incoming-webhook', 'workflow-trigger'] as const, {
    default: 'incoming-webhook',
    // slackapi/slack-github-action v2 spells it webhook-trigger: accepted so its workflows move over unchanged.
    aliases: { 'webhook-trigger': 'workflow-trigger' },
  });

  let destination: Destination = { kind: 'none' };
  if (webhookUrl && token) {
    r.fail('webhook-url', 'give either webhook-url, or token with channel, not both.');
  } else if (webhookUrl) {
    if (!isHttpUrl(webhookUrl))
      r.fail('webhook-url', 'is not an http(s) URL: expected an incoming webhook URL such as https://hooks.slack.com/services/T…/B…/….');
    if (channel) ignored.push("Input 'channel' is ignored with webhook-url: a webhook posts to the channel it was created for.");
    destination = { kind: 'webhook', url: webhookUrl, type: webhookType };
    for (const name of TOKEN_ONLY)
      if (r.raw(name)) r.fail(name, 'needs token mode (token with channel): a webhook can only post a new message.');
  } else if (token) {
    // Often an empty job output (the first job's post failed): a notification problem, not a broken workflow.
    if (!channel && !dryRun) problems.push("Input 'channel': is empty; token mode needs a channel ID (C0123456789) or name (#deployments)");
    destination = { kind: 'api', token, channel };
    if (webhookType === 'workflow-trigger') ignored.push("Input 'webhook-type' is ignored with token: it describes a webhook-url.");
  } else if (!dryRun) {
    problems.push(
      'no Slack destination: webhook-url and token are both empty (secrets are empty in pull requests from forks and in Dependabot runs); set webhook-url, or token with channel',
    );
  }

  const payload = readPayload(r, env, problems, ignored);
  const method = r.string('method', {
    pattern: /^[a-z]+(\.[A-Za-z]+)+$/,
    form: 'a Slack Web API method name such as chat.postMessage, reactions.add or bookmarks.add',
  });
  if (method === 'files.uploadV2') r.fail('method', "files.uploadV2 is not called with a payload: use the 'upload' input.");
  if (destination.kind === 'api' && method && !payload && !problems.length)
    r.fail('payload', `is required with method: expected the arguments of ${method} as JSON or YAML.`);

  const upload = r.list('upload');
  const reaction = r.string('reaction', {
    pattern: /^:?[a-z0-9_+'-]+(::skin-tone-[2-6])?:?$/,
    form: "an emoji name such as 'white_check_mark'",
  });

  const statusText = r.raw('status');
  let status: Status | undefined;
  if (statusText !== '') {
    status = parseStatus(statusText);
    if (!status) r.fail('status', `'${statusText}' is not a known status: expected ${STATUS_FORM}.`);
  } else if (!payload && !method && !problems.some((p) => p.includes('payload'))) {
    if (!reaction && upload.length === 0) r.fail('status', `is required: expected ${STATUS_FORM}.`);
  }

  const fields = r.lineMap('fields', ':', { form: 'Label: value' }).map((e) => ({ label: e.key, value: e.value }));
  const mentionOn = readMentionOn(r);
  const updateTs = r.string('update-ts', { pattern: TS, form: TS_FORM });
  const threadTs = r.string('thread-ts', { pattern: TS, form: TS_FORM });
  if (updateTs && threadTs) r.fail('thread-ts', 'cannot be combined with update-ts: an update keeps the message where it is.');
  const sendsMessage = Boolean(status || payload || method);
  if (destination.kind === 'api' && !sendsMessage) {
    if ((reaction || upload.length > 0) && !updateTs && !threadTs)
      r.fail(reaction ? 'reaction' : 'upload', 'needs a message: give status (or payload) to post one, or update-ts / thread-ts.');
    if ((reaction || upload.length > 0) && channel && !CHANNEL_ID.test(channel.replace(/^#/, '')))
      r.fail('channel', `'${channel}' must be a channel ID (the channel output of the step that posted) when no message is posted here.`);
  }
  if (destination.kind === 'api' && method && upload.length > 0)
    r.fail('upload', 'cannot be combined with method: upload puts files in the thread of a message this step posts.');

  const apiUrl = r.string('slack-api-url', { default: 'https://slack.com/api/' });
  if (!isHttpUrl(apiUrl)) r.fail('slack-api-url', `'${apiUrl}' is not an http(s) URL: expected e.g. https://slack.com/api/.`);
  const proxy = r.string('proxy');
  if (proxy) {
    if (!/^(https?|socks5?):\/\//.test(proxy) || !isUrl(proxy))
      r.fail('proxy', 'is not a proxy URL: expected e.g. http://proxy.example.com:3128 (credentials as http://user:pass@host:port).');
    else secrets.push(...maskProxyCredentials(proxy));
  }

  const inputs: Inputs = {
    destination,
    status,
    title: r.string('title'),
    text: r.raw('text'),
    fields,
    mention: r.string('mention'),
    mentionOn,
    mentionActor: r.boolean('mention-actor'),
    userMap: readUserMap(r, env, ignored),
    updateTs,
    threadTs,
    payload,
    method,
    upload,
    reaction: reaction.replace(/^:|:$/g, ''),
    failOnError: r.boolean('fail-on-error'),
    retries: r.integer('retries', { default: 3, min: 0, max: 10 }),
    timeoutSeconds: r.integer('timeout-seconds', { default: 10, min: 1, max: 300 }),
    maxRetryWaitSeconds: r.integer('max-retry-wait-seconds', { default: 30, min: 0, max: 600 }),
    dryRun,
    apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
    proxy,
    secrets,
    ignored,
    problems,
  };
  r.done();
  return inputs;
}

/** The payload or payload-file input, parsed; a text that does not parse is a problem (nothing sent), not an input error. */
function readPayload(r: InputReader, env: NodeJS.ProcessEnv, problems: string[], ignored: string[]): Inputs['payload'] {
  const inline = r.raw('payload');
  const path = r.string('payload-file');
  if (inline && path) {
    r.fail('payload-file', 'give either payload or payload-file, not both.');
    return undefined;
  }
  if (!inline && !path) return undefined;
  const from = inline ? 'payload' : 'payload-file';
  let text = inline;
  if (path) {
    const file = isAbsolute(path) ? path : resolve(env.GITHUB_WORKSPACE || process.cwd(), path);
    if (!existsSync(file) || !statSync(file).isFile()) {
      problems.push(`Input 'payload-file': ${path} is not a file in the workspace (does the job check out the repository?)`);
      return undefined;
    }
    text = readFileSync(file, 'utf8');
  }
  const unused = ['title', 'text', 'fields'].filter((name) => r.raw(name) !== '');
  if (unused.length > 0)
    ignored.push(
      `Input${unused.length > 1 ? 's' : ''} ${unused.map((n) => `'${n}'`).join(', ')} ${unused.length > 1 ? 'are' : 'is'} ignored with ${from}: the payload is sent as given.`,
    );
  if (text.length > MAX_PAYLOAD_CHARS) {
    problems.push(`Input '${from}': is ${text.length} characters: expected at most ${MAX_PAYLOAD_CHARS}`);
    return undefined;
  }
  // The kit's YAML reader (YAML is a superset of JSON), on its own so a bad text is a problem, not an input error.
  const reader = new InputReader(() => text);
  const value = reader.yamlMapping(from);
  try {
    reader.done();
  } catch (error) {
    if (!(error instanceof InputErrors)) throw error;
    problems.push(...error.errors.map((e) => e.message.replace(/\.$/, '')));
    return undefined;
  }
  return { value, from };
}

function readMentionOn(r: InputReader): MentionOn {
  const raw = r.raw('mention-on');
  if (raw === '') return ['failure'];
  const items = splitList(raw).map((s) => s.toLowerCase());
  if (items.length === 1 && (items[0] === 'always' || items[0] === 'never')) return items[0];
  const statuses: Status[] = [];
  for (const item of items) {
    const status = parseStatus(item);
    if (status) statuses.push(status);
    else r.fail('mention-on', `'${item}' is not a status: expected a comma separated list of ${STATUSES.join(', ')}; or always, or never.`);
  }
  return statuses;
}

/** `github-login: SLACKID` lines, or the path of a JSON file `{"login": "SLACKID"}` (a missing file only warns). */
function readUserMap(r: InputReader, env: NodeJS.ProcessEnv, warnings: string[]): UserMap {
  const raw = r.raw('user-map');
  const form = "one 'github-login: SLACKID' a line (U…/W… for a person, S… for a user group), or the path of a JSON file";
  if (!raw.includes(':') && /\.json$/i.test(raw) && !raw.includes('\n')) {
    const file = isAbsolute(raw) ? raw : resolve(env.GITHUB_WORKSPACE || process.cwd(), raw);
    if (!existsSync(file)) {
      warnings.push(
        `Input 'user-map': ${raw} is not in the workspace (does the job check out the repository?); @login mentions stay unresolved.`,
      );
      return new Map();
    }
    const { map, problems } = parseJsonUserMap(readFileSync(file, 'utf8'));
    for (const p of problems) r.fail('user-map', `${raw} ${p}: expected ${form}.`);
    return map;
  }
  const map: UserMap = new Map();
  for (const entry of r.lineMap('user-map', ':', { form: 'github-login: SLACKID' })) {
    const login = entry.key.replace(/^@/, '');
    const problem = checkMapEntry(login, entry.value);
    if (problem) r.fail('user-map', `line ${entry.line}: ${problem}: expected ${form}.`);
    else map.set(login.toLowerCase(), entry.value);
  }
  return map;
}

function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function isHttpUrl(value: string): boolean {
  return isUrl(value) && /^https?:$/.test(new URL(value).protocol);
}

/** Masks the webhook's path and its secret key too, so a log line holding only the path leaks nothing. */
function maskWebhookParts(value: string): string[] {
  try {
    const url = new URL(value);
    const parts = [url.pathname, url.pathname.split('/').filter(Boolean).at(-1) ?? ''].filter((p) => p.length > 3);
    for (const p of parts) core.setSecret(p);
    return parts;
  } catch {
    return [];
  }
}

function maskProxyCredentials(value: string): string[] {
  const url = new URL(value);
  const parts = [url.password, decodeURIComponent(url.password)].filter((p) => p.length > 0);
  if (parts.length > 0) parts.push(value);
  for (const p of parts) core.setSecret(p);
  return parts;
}
