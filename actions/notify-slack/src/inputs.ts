import * as core from '@actions/core';
import { InputReader, splitList, type InputGetter } from '@pipeline-actions/kit';
import { validatePayload, type Payload } from './limits.js';
import type { Field } from './message.js';
import { parseStatus, STATUSES, type MentionOn, type Status } from './status.js';

export type Destination = { kind: 'webhook'; url: string } | { kind: 'api'; token: string; channel: string } | { kind: 'none' };

export interface Inputs {
  destination: Destination;
  /** Undefined only with a custom payload. */
  status: Status | undefined;
  title: string;
  text: string;
  fields: Field[];
  mention: string;
  mentionOn: MentionOn;
  updateTs: string;
  threadTs: string;
  payload: Payload | undefined;
  failOnError: boolean;
  retries: number;
  timeoutSeconds: number;
  dryRun: boolean;
  apiUrl: string;
  /** Every secret string (webhook URL, its path and key, token), for scrubbing messages. */
  secrets: string[];
  /** Inputs given but without effect, said as warnings (not errors: the message can still go out). */
  ignored: string[];
}

const STATUS_FORM = `one of ${STATUSES.join(', ')} (e.g. \${{ job.status }} or \${{ needs.<id>.result }})`;
const TS = /^\d+\.\d+$/;
const MAX_PAYLOAD_CHARS = 1_000_000;

const MENTION_WORDS: Record<string, string> = { '@channel': '<!channel>', '@here': '<!here>', '@everyone': '<!everyone>' };

/** Reads and checks every input; all problems are reported together and nothing is sent when any is found. */
export function getInputs(get?: InputGetter): Inputs {
  const r = new InputReader(get);
  const secrets: string[] = [];
  const ignored: string[] = [];

  const webhookUrl = r.secret('webhook-url');
  const token = r.secret('token');
  if (webhookUrl) secrets.push(webhookUrl, ...maskWebhookParts(webhookUrl));
  if (token) secrets.push(token);
  const channel = r.string('channel');
  const dryRun = r.boolean('dry-run');

  let destination: Destination = { kind: 'none' };
  if (webhookUrl && token) {
    r.fail('webhook-url', 'give either webhook-url, or token with channel, not both.');
  } else if (webhookUrl) {
    if (!isHttpUrl(webhookUrl))
      r.fail('webhook-url', 'is not an http(s) URL: expected an incoming webhook URL such as https://hooks.slack.com/services/T…/B…/….');
    if (channel) ignored.push("Input 'channel' is ignored with webhook-url: an incoming webhook posts to the channel it was created for.");
    destination = { kind: 'webhook', url: webhookUrl };
  } else if (token) {
    if (!channel) r.fail('channel', 'is required with token: expected a channel ID (C0123456789) or name (#deployments).');
    destination = { kind: 'api', token, channel };
  } else if (!dryRun) {
    r.fail(
      'webhook-url',
      'no Slack destination: set webhook-url (an incoming webhook secret), or token (a bot token secret) with channel.',
    );
  }

  const payloadText = r.raw('payload');
  let payload: Payload | undefined;
  if (payloadText.length > MAX_PAYLOAD_CHARS) {
    r.fail('payload', `is ${payloadText.length} characters: expected at most ${MAX_PAYLOAD_CHARS}.`);
  } else if (payloadText !== '') {
    const before = r.ok;
    const parsed = r.yamlMapping('payload');
    // yamlMapping records its own error and gives {} when the text does not parse.
    const parseFailed = before ? !r.ok : Object.keys(parsed).length === 0;
    if (!parseFailed) {
      const problems = validatePayload(parsed);
      for (const p of problems) r.fail('payload', `${p}: expected a Slack message such as {"text": "…", "blocks": [...]}.`);
      payload = parsed;
    }
    const unused = ['title', 'text', 'fields'].filter((name) => r.raw(name) !== '');
    if (unused.length > 0)
      ignored.push(
        `Input${unused.length > 1 ? 's' : ''} ${unused.map((n) => `'${n}'`).join(', ')} ${unused.length > 1 ? 'are' : 'is'} ignored with payload: the payload is sent as given.`,
      );
  }

  const statusText = r.raw('status');
  let status: Status | undefined;
  if (statusText === '') {
    if (!payloadText) r.fail('status', `is required: expected ${STATUS_FORM}.`);
  } else {
    status = parseStatus(statusText);
    if (!status) r.fail('status', `'${statusText}' is not a known status: expected ${STATUS_FORM}.`);
  }

  const fields = r.lineMap('fields', ':', { form: 'Label: value' }).map((e) => ({ label: e.key, value: e.value }));
  const mentionRaw = r.string('mention');
  const mention = MENTION_WORDS[mentionRaw.toLowerCase()] ?? mentionRaw;
  const mentionOn = readMentionOn(r);

  const updateTs = r.string('update-ts', {
    pattern: TS,
    form: "a Slack message ts such as '1700000000.123456' (the ts output of an earlier step)",
  });
  const threadTs = r.string('thread-ts', {
    pattern: TS,
    form: "a Slack message ts such as '1700000000.123456' (the ts output of an earlier step)",
  });
  if (destination.kind === 'webhook') {
    if (updateTs) r.fail('update-ts', 'needs token mode (token with channel): an incoming webhook cannot update a message.');
    if (threadTs) r.fail('thread-ts', 'needs token mode (token with channel): an incoming webhook cannot reply in a thread.');
  }
  if (updateTs && threadTs) r.fail('thread-ts', 'cannot be combined with update-ts: an update keeps the message where it is.');

  const apiUrl = r.string('slack-api-url', { default: 'https://slack.com/api/' });
  if (!isHttpUrl(apiUrl)) r.fail('slack-api-url', `'${apiUrl}' is not an http(s) URL: expected e.g. https://slack.com/api/.`);

  const inputs: Inputs = {
    destination,
    status,
    title: r.string('title'),
    text: r.raw('text'),
    fields,
    mention,
    mentionOn,
    updateTs,
    threadTs,
    payload,
    failOnError: r.boolean('fail-on-error'),
    retries: r.integer('retries', { default: 3, min: 0, max: 10 }),
    timeoutSeconds: r.integer('timeout-seconds', { default: 10, min: 1, max: 300 }),
    dryRun,
    apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
    secrets,
    ignored,
  };
  r.done();
  return inputs;
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

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
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
