import * as core from '@actions/core';
import { InputErrors, readEvent, runStep, UserError, writeSummary } from '@pipeline-actions/kit';
import { composePayload, type Method } from './compose.js';
import { deliver, deliveryErrors, type Delivery } from './deliver.js';
import { getInputs, type Inputs } from './inputs.js';
import type { Payload } from './limits.js';
import { resolveMentions } from './mentions.js';
import { describeProxy, proxiedFetch, proxySettings } from './proxy.js';
import { scrub, type SendOptions } from './retry.js';
import { readRunInfo, type RunInfo } from './run-info.js';
import { isFailure, shouldMention, statusLook } from './status.js';

/** The entry point, as GitHub's action template and `@github/local-action` expect it. */
export async function run(): Promise<void> {
  await runStep(main);
}

export async function main(): Promise<void> {
  let inputs: Inputs;
  try {
    inputs = getInputs();
  } catch (error) {
    if (error instanceof InputErrors) {
      const n = error.errors.length;
      await writeSummary(
        `**Slack:** not sent: ${n} input problem${n === 1 ? '' : 's'} (${error.errors.map((e) => `\`${e.input}\``).join(', ')}); see the errors in the log.`,
      );
    }
    throw error;
  }
  for (const line of inputs.ignored) core.warning(line);
  const info = readRunInfo(process.env, readEvent());
  const mention = composeMention(inputs, info);
  const { payload, notes, method, problems } = composePayload(inputs, {
    info,
    mention,
    eventName: process.env.GITHUB_EVENT_NAME ?? '',
    job: process.env.GITHUB_JOB ?? '',
  });
  const json = payload ? JSON.stringify(payload) : '';
  core.setOutput('payload', json);
  const where = describeDestination(inputs, method);
  const notSent = [...inputs.problems, ...problems];
  if (notSent.length > 0 && !(inputs.dryRun && notSent.every((p) => p.startsWith('no Slack destination')))) {
    setOutputs({ threadTs: '', channel: '', notes: [] }, method);
    return giveUp(inputs, `Slack notification not sent: ${notSent.join('; ')}.`, `not sent: ${notSent.join('; ')}.`);
  }
  for (const note of notes) core.info(`Slack limit applied: ${note}.`);

  if (inputs.dryRun) {
    core.info(`Dry run: nothing sent. The payload for ${where}:`);
    core.info(json);
    core.startGroup('The payload, indented');
    core.info(JSON.stringify(payload ?? {}, null, 2));
    core.endGroup();
    setOutputs({ threadTs: '', channel: '', notes: [] }, method);
    core.setOutput('error', '');
    const would =
      inputs.destination.kind === 'none' ? where : `would ${method === 'chat.update' ? 'update a message in' : 'post to'} ${where}`;
    await writeSummary(`**Slack:** dry run, nothing sent (${would}).`);
    return;
  }

  const delivery = await deliver(inputs, method, payload, await sendOptions(inputs));
  setOutputs(delivery, method);
  for (const note of delivery.notes) core.warning(note);
  const errors = deliveryErrors(delivery).map((e) => scrub(e, inputs.secrets));
  const done = describeDone(inputs, method, delivery, where, payload);
  if (errors.length === 0) {
    core.setOutput('error', '');
    core.info(`${done}.`);
    await writeSummary(`**Slack:** ${done.charAt(0).toLowerCase()}${done.slice(1)}: ${summaryTitle(inputs, payload)}`);
    return;
  }
  const failed = delivery.message && !delivery.message.ok;
  const lead = failed ? `Slack notification not sent to ${where}` : `${done}, but`;
  await giveUp(inputs, `${lead}: ${errors.join('; ')}.`, `${failed ? `not sent to ${where}` : `${done}, but`}: ${errors.join('; ')}.`);
}

/** The one way a notification ends badly (ok is already false): the error output, then a warning (default) or an error. */
async function giveUp(inputs: Inputs, sentence: string, summary: string): Promise<void> {
  const clean = scrub(sentence, inputs.secrets);
  core.setOutput('error', clean);
  await writeSummary(`**Slack:** ${scrub(summary, inputs.secrets)}`);
  if (inputs.failOnError) throw new UserError(clean);
  core.warning(`${clean} The step passes because fail-on-error is false.`);
}

/** The mention input (when the status calls for it), plus the actor on a failure with mention-actor; unresolvable ones warn. */
function composeMention(inputs: Inputs, info: RunInfo): string {
  const wanted: string[] = [];
  if (inputs.mention && shouldMention(inputs.status, inputs.mentionOn)) wanted.push(inputs.mention);
  if (inputs.mentionActor && isFailure(inputs.status) && info.triggeringActor) wanted.push(`@${info.triggeringActor}`);
  const { mention, unresolved } = resolveMentions(wanted.join(' '), inputs.userMap);
  for (const u of unresolved)
    core.warning(
      `Mention '${u}' not resolved: expected @here, @channel, a user ID (U…), a user-group ID (S…) or @login listed in user-map; it is left out.`,
    );
  return mention;
}

async function sendOptions(inputs: Inputs): Promise<SendOptions> {
  const options: SendOptions = {
    retries: inputs.retries,
    timeoutMs: inputs.timeoutSeconds * 1000,
    maxRetryWaitMs: inputs.maxRetryWaitSeconds * 1000,
    log: (line: string) => core.info(scrub(line, inputs.secrets)),
  };
  const proxy = proxySettings(inputs.proxy, process.env);
  if (!proxy) return options;
  for (const url of [proxy.httpProxy, proxy.httpsProxy]) {
    const password = url ? safeUrl(url)?.password : '';
    if (password) {
      core.setSecret(password);
      inputs.secrets.push(password, url);
    }
  }
  const via = describeProxy(proxy.httpsProxy || proxy.httpProxy);
  core.info(
    `Slack requests go through the proxy ${via} (from ${proxy.source === 'input' ? "the 'proxy' input" : 'HTTPS_PROXY/HTTP_PROXY'}${proxy.noProxy ? `; NO_PROXY: ${proxy.noProxy}` : ''}).`,
  );
  return { ...options, fetch: await proxiedFetch(proxy) };
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function setOutputs(d: Delivery, method: Method): void {
  const main = d.message ?? d.reaction ?? d.upload;
  core.setOutput('ok', String(deliveryErrors(d).length === 0 && main !== undefined));
  core.setOutput('ts', d.message?.ts ?? '');
  core.setOutput('channel', d.message?.channel ?? (method === 'none' && main ? d.channel : ''));
  core.setOutput('thread-ts', main?.ok ? d.threadTs : '');
  core.setOutput('status-code', main?.statusCode === undefined ? '' : String(main.statusCode));
  core.setOutput('response', main?.response === undefined ? '' : JSON.stringify(main.response));
}

function describeDestination(inputs: Inputs, method: Method): string {
  const { destination } = inputs;
  if (destination.kind === 'webhook') return destination.type === 'workflow-trigger' ? 'Workflow Builder trigger' : 'incoming webhook';
  if (destination.kind === 'api') {
    const thread = method === 'chat.postMessage' && inputs.threadTs ? ` (thread ${inputs.threadTs})` : '';
    return `channel ${destination.channel}${thread}`;
  }
  return 'no destination (no webhook-url or token given)';
}

function describeDone(inputs: Inputs, method: Method, d: Delivery, where: string, payload: Payload | undefined): string {
  const parts: string[] = [];
  const ts = d.message?.ts ? ` (ts ${d.message.ts})` : '';
  const place = d.message?.channel ? `channel ${d.message.channel}` : where;
  if (d.message?.ok) {
    if (method === 'chat.update') parts.push(`Updated the message in ${place}${ts}`);
    else if (method === 'webhook' || method === 'chat.postMessage')
      parts.push(`${inputs.threadTs ? 'Replied in a thread in' : 'Sent to'} ${place}${ts}`);
    else parts.push(`Called ${method} in ${place}${ts}`);
  } else if (payload && d.message) parts.push(`Not sent to ${where}`);
  if (d.upload?.ok) parts.push(`uploaded ${d.upload.count} file${d.upload.count === 1 ? '' : 's'} to the thread`);
  if (d.reaction?.ok) parts.push(`reacted :${inputs.reaction}:`);
  const text = parts.join(', ') || `Nothing sent to ${where}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function summaryTitle(inputs: Inputs, payload: Payload | undefined): string {
  const emoji = inputs.status ? `${statusLook(inputs.status).emoji} ` : '';
  const text = typeof payload?.text === 'string' ? payload.text : '';
  const line = (text.split('\n')[0] ?? '').replace(/<![a-z^0-9|]+>\s*|<@[A-Z0-9]+>\s*/gi, '');
  return (line || `${emoji}${inputs.status ?? inputs.method ?? 'custom payload'}`).slice(0, 200);
}
