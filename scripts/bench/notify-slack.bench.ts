// notify-slack: cold start of the bundle in dry-run (against `node -e 0`), and one real post to the
// Slack capture server (webhook, and token mode which loads @slack/web-api) against curl posting
// the same JSON payload to the same server; and a token-mode post through a loopback CONNECT proxy
// (undici loaded) against the same post direct. Interleaved rounds, medians, under Node 24.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { node24Path } from '../../packages/testing/src/node-runtime.js';
import { startProxy } from '../../packages/testing/src/proxy.js';
import { startSlackServer } from '../../packages/testing/src/slack-server.js';
import { measureCommand, median, type BenchRow, type CommandRun } from './measure.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = join(root, 'actions', 'notify-slack', 'dist', 'index.js');
const ROUNDS = 11;

export default async function notifySlack(): Promise<BenchRow[]> {
  const node = node24Path();
  const slack = await startSlackServer();
  const proxy = await startProxy();
  const runner = mkdtempSync(join(tmpdir(), 'bench-slack-'));
  for (const f of ['output', 'summary']) writeFileSync(join(runner, f), '');
  writeFileSync(join(runner, 'event.json'), JSON.stringify({ head_commit: { message: 'Load batch "2024-01-15" & more' } }));
  const base = {
    PATH: process.env.PATH,
    GITHUB_OUTPUT: join(runner, 'output'),
    GITHUB_STEP_SUMMARY: join(runner, 'summary'),
    GITHUB_EVENT_PATH: join(runner, 'event.json'),
    GITHUB_WORKFLOW: 'REDCap Pipeline',
    GITHUB_REPOSITORY: 'octo-org/pipeline-demo',
    GITHUB_RUN_ID: '1001',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_SHA: '84fb588e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a',
    RUNNER_TEMP: runner,
    INPUT_STATUS: 'failure',
    INPUT_FIELDS: 'Environment: qa\nBatch ID: batch_20240115_140000\nFragments: 42',
    'INPUT_MENTION-ON': 'failure',
    INPUT_MENTION: '<!channel>',
    INPUT_RETRIES: '3',
    'INPUT_TIMEOUT-SECONDS': '10',
    'INPUT_SLACK-API-URL': slack.apiUrl,
  };
  const dryEnv = { ...base, 'INPUT_DRY-RUN': 'true' };
  const hookEnv = { ...base, 'INPUT_WEBHOOK-URL': slack.webhookUrl };
  const botEnv = { ...base, INPUT_TOKEN: slack.token, INPUT_CHANNEL: '#deployments' };
  const proxiedEnv = { ...botEnv, INPUT_PROXY: proxy.url };

  // The payload curl sends: exactly what the action sent, taken from a first run.
  const first = await measureCommand(node, [entry], { env: hookEnv });
  if (first.exitCode !== 0) throw new Error(`notify-slack failed: ${first.stdout}${first.stderr}`);
  const payload = JSON.stringify(slack.requests.at(-1)?.body);
  const curl = (url: string, headers: string[]) =>
    measureCommand('curl', ['-sS', '-o', '/dev/null', '-X', 'POST', url, ...headers.flatMap((h) => ['-H', h]), '--data-binary', '@-'], {
      input: payload,
    });

  const runs: Record<string, CommandRun[]> = { floor: [], dry: [], hook: [], curlHook: [], bot: [], curlBot: [], proxied: [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      runs.floor.push(await measureCommand(node, ['-e', '0'], { env: base }));
      runs.dry.push(await measureCommand(node, [entry], { env: dryEnv }));
      runs.hook.push(await measureCommand(node, [entry], { env: hookEnv }));
      runs.curlHook.push(await curl(slack.webhookUrl, ['content-type: application/json']));
      runs.bot.push(await measureCommand(node, [entry], { env: botEnv }));
      runs.curlBot.push(
        await curl(`${slack.apiUrl}chat.postMessage`, [
          'content-type: application/json; charset=utf-8',
          `authorization: Bearer ${slack.token}`,
        ]),
      );
      runs.proxied.push(await measureCommand(node, [entry], { env: proxiedEnv }));
    }
  } finally {
    await Promise.all([slack.stop(), proxy.stop()]);
  }
  if (proxy.requests.length < ROUNDS) throw new Error(`the proxy saw ${proxy.requests.length} of ${ROUNDS} posts`);
  const failed = [...runs.dry, ...runs.hook, ...runs.bot, ...runs.proxied].filter((r) => r.exitCode !== 0);
  if (failed.length > 0) throw new Error(`notify-slack failed in the benchmark: ${failed[0].stdout}`);
  const med = (k: string) => median(runs[k].map((r) => r.wallMs));
  const peak = (k: string) => Math.max(...runs[k].map((r) => r.peakRssMb));
  const row = (benchmark: string, ours: string, k: string, baseline: string, b: string, goalFactor: number, note: string): BenchRow => ({
    benchmark,
    ours,
    oursMedianMs: med(k),
    baseline,
    baselineMedianMs: med(b),
    ratio: med(b) / med(k),
    peakRssMb: peak(k),
    goal: `ours ≤ ${goalFactor}× baseline`,
    met: med(k) <= goalFactor * med(b),
    note,
  });
  return [
    row('notify-slack cold start (dry-run)', 'dist/index.js dry-run', 'dry', 'node -e 0', 'floor', 4, 'builds the message, sends nothing'),
    row('notify-slack webhook post', 'dist/index.js webhook', 'hook', 'curl same JSON', 'curlHook', 15, 'own fetch code, no SDK loaded'),
    row('notify-slack token-mode post', 'dist/index.js token', 'bot', 'curl same JSON', 'curlBot', 15, '@slack/web-api loaded lazily'),
    row(
      'notify-slack token post via proxy',
      'dist/index.js token + proxy',
      'proxied',
      'same post direct',
      'bot',
      1.5,
      'undici loaded only with a proxy',
    ),
  ];
}
