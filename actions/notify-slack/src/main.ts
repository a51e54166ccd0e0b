import * as core from '@actions/core';
import { InputErrors, readEvent, runStep, UserError, writeSummary } from '@pipeline-actions/kit';
import { getInputs, type Inputs } from './inputs.js';
import { applyLimits, type Payload } from './limits.js';
import { buildMessage } from './message.js';
import { readRunInfo } from './run-info.js';
import { postWebhook, scrub, type SendResult } from './send.js';
import { shouldMention, statusLook } from './status.js';

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
  const { payload, notes, method } = composePayload(inputs);
  const json = JSON.stringify(payload);
  for (const note of notes) core.info(`Slack limit applied: ${note}.`);
  core.setOutput('payload', json);

  const where = describeDestination(inputs, method);
  if (inputs.dryRun) {
    core.info(`Dry run: nothing sent. The payload for ${where}:`);
    core.info(json);
    core.startGroup('The payload, indented');
    core.info(JSON.stringify(payload, null, 2));
    core.endGroup();
    setResultOutputs({ ok: false, attempts: 0 });
    const would =
      inputs.destination.kind === 'none' ? where : `would ${method === 'chat.update' ? 'update a message in' : 'post to'} ${where}`;
    await writeSummary(`**Slack:** dry run, nothing sent (${would}).`);
    return;
  }

  const result = await send(inputs, method, payload);
  setResultOutputs(result);
  const error = scrub(result.error ?? '', inputs.secrets);
  if (result.ok) {
    const ts = result.ts ? ` (ts ${result.ts})` : '';
    const verb = method === 'chat.update' ? 'Updated the message in' : inputs.threadTs ? 'Replied in a thread in' : 'Sent to';
    core.info(`${verb} ${where}${ts}.`);
    await writeSummary(
      `**Slack:** ${verb.toLowerCase()} ${result.channel ? `channel ${result.channel}` : where}${ts}: ${summaryTitle(inputs, payload)}`,
    );
    return;
  }
  const message = `Slack notification not sent to ${where}: ${error}.`;
  await writeSummary(`**Slack:** not sent to ${where}: ${error}.`);
  if (inputs.failOnError) throw new UserError(message);
  core.warning(`${message} The step passes because fail-on-error is false.`);
}

type Method = 'webhook' | 'chat.postMessage' | 'chat.update';

function composePayload(inputs: Inputs): { payload: Payload; notes: string[]; method: Method } {
  const base =
    inputs.payload ??
    buildMessage(
      {
        status: inputs.status!,
        title: inputs.title,
        text: inputs.text,
        fields: inputs.fields,
        mention: shouldMention(inputs.status, inputs.mentionOn) ? inputs.mention : '',
      },
      readRunInfo(process.env, readEvent()),
    );
  const { payload, notes } = applyLimits(base);
  const { destination } = inputs;
  if (destination.kind !== 'api') return { payload, notes, method: 'webhook' };
  const body: Payload = { channel: destination.channel, ...payload };
  body.channel = destination.channel;
  if (inputs.updateTs) return { payload: { ...body, ts: inputs.updateTs }, notes, method: 'chat.update' };
  if (inputs.threadTs) body.thread_ts = inputs.threadTs;
  return { payload: body, notes, method: 'chat.postMessage' };
}

async function send(inputs: Inputs, method: Method, payload: Payload): Promise<SendResult> {
  const options = {
    retries: inputs.retries,
    timeoutMs: inputs.timeoutSeconds * 1000,
    log: (line: string) => core.info(scrub(line, inputs.secrets)),
  };
  const { destination } = inputs;
  if (destination.kind === 'webhook') return postWebhook(destination.url, payload, options);
  if (destination.kind === 'api' && method !== 'webhook') {
    const { callWebApi } = await import('./web-api.js');
    return callWebApi(destination.token, inputs.apiUrl, method, payload, options);
  }
  return { ok: false, attempts: 0, error: 'no destination' };
}

function setResultOutputs(result: SendResult): void {
  core.setOutput('ok', String(result.ok));
  core.setOutput('ts', result.ts ?? '');
  core.setOutput('channel', result.channel ?? '');
  core.setOutput('status-code', result.statusCode === undefined ? '' : String(result.statusCode));
}

function describeDestination(inputs: Inputs, method: Method): string {
  const { destination } = inputs;
  if (destination.kind === 'webhook') return 'incoming webhook';
  if (destination.kind === 'api') {
    const thread = method === 'chat.postMessage' && inputs.threadTs ? ` (thread ${inputs.threadTs})` : '';
    return `channel ${destination.channel}${thread}`;
  }
  return 'no destination (no webhook-url or token given)';
}

function summaryTitle(inputs: Inputs, payload: Payload): string {
  const emoji = inputs.status ? `${statusLook(inputs.status).emoji} ` : '';
  const text = typeof payload.text === 'string' ? payload.text : '';
  const line = (text.split('\n')[0] ?? '').replace(/<![a-z^0-9|]+>\s*/gi, '');
  return (line || `${emoji}${inputs.status ?? 'custom payload'}`).slice(0, 200);
}
