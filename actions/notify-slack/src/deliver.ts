import type { Method } from './compose.js';
import type { Inputs } from './inputs.js';
import type { Payload } from './limits.js';
import type { SendOptions, SendResult } from './retry.js';
import { postWebhook } from './send.js';
import { resolveUploads } from './upload-files.js';

/** Everything this step did in Slack: the message (or method call), the upload, the reaction. */
export interface Delivery {
  message?: SendResult;
  upload?: SendResult & { count: number };
  reaction?: SendResult;
  /** The thread root: thread-ts, update-ts, or the ts of the message posted. */
  threadTs: string;
  channel: string;
  /** Things skipped that deserve a warning but do not count as failures (a missing log file). */
  notes: string[];
}

/** Sends the message, then puts the files in its thread and adds the reaction; each step is skipped when the one before failed. */
export async function deliver(inputs: Inputs, method: Method, payload: Payload | undefined, options: SendOptions): Promise<Delivery> {
  const { destination } = inputs;
  const delivery: Delivery = { threadTs: inputs.threadTs || inputs.updateTs, channel: '', notes: [] };
  if (destination.kind === 'webhook') {
    if (payload) delivery.message = await postWebhook(destination.url, payload, options);
    return delivery;
  }
  if (destination.kind !== 'api') return delivery;

  const { createSlackApi } = await import('./web-api.js');
  const api = await createSlackApi(destination.token, inputs.apiUrl, options);
  delivery.channel = destination.channel.replace(/^#/, '');
  if (payload && method !== 'none') {
    const message = await api.call(method, payload);
    delivery.message = message;
    if (!message.ok) return delivery;
    if (message.channel) delivery.channel = message.channel;
    if (!delivery.threadTs && message.ts) delivery.threadTs = message.ts;
  }
  if (inputs.upload.length > 0) {
    const { files, warnings } = resolveUploads(inputs.upload, process.env);
    delivery.notes.push(...warnings);
    if (files.length > 0) {
      const upload = await api.upload(files, delivery.channel, delivery.threadTs, '');
      delivery.upload = { ...upload, count: files.length };
    }
  }
  if (inputs.reaction) {
    const target = inputs.updateTs || inputs.threadTs || delivery.threadTs;
    const reaction = await api.call('reactions.add', { channel: delivery.channel, timestamp: target, name: inputs.reaction });
    // Adding the same reaction twice (a re-run) is done, not failed.
    const again = (reaction.response as { error?: string } | undefined)?.error === 'already_reacted';
    delivery.reaction = again ? { ...reaction, ok: true, error: undefined } : reaction;
  }
  return delivery;
}

/** The failures of a delivery, one clause each ("upload of 2 files: …"). */
export function deliveryErrors(d: Delivery): string[] {
  const errors: string[] = [];
  if (d.message && !d.message.ok) errors.push(d.message.error ?? 'not sent');
  if (d.upload && !d.upload.ok)
    errors.push(`upload of ${d.upload.count} file${d.upload.count === 1 ? '' : 's'}: ${d.upload.error ?? 'failed'}`);
  if (d.reaction && !d.reaction.ok) errors.push(`reaction: ${d.reaction.error ?? 'failed'}`);
  return errors;
}
