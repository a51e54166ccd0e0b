// Every action runs from its source under GitHub's @github/local-action (its @actions/* stubs, the dotenv file
// of inputs and GITHUB_* variables), starting from the action's own .env.example with only the endpoints and
// tokens pointed at the local servers: the way a contributor or a user debugging an action runs it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import {
  motoAvailable,
  sshdMissing,
  startFakeGitHub,
  startS3Server,
  startSlackServer,
  startSshd,
  type FakeGitHubApi,
  type S3TestServer,
  type SlackServer,
  type SshdServer,
} from '../../../packages/testing/src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const actions = readdirSync(join(root, 'actions'))
  .filter((name) => existsSync(join(root, 'actions', name, 'action.yml')))
  .sort();
const REPO = 'octo-org/pipeline-demo';
const SHA = '84fb588e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a';

let work: string;
let github: FakeGitHubApi;
let slack: SlackServer;
let s3: S3TestServer | undefined;
let sshd: SshdServer | undefined;
let echo: Server;

/** The dotenv lines of a file as a map (local-action reads the same format). */
function readDotenv(file: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/.exec(line);
    if (m) env.set(m[1], m[2]);
  }
  return env;
}

/** Runs `pnpm local-action <name> <env file>` with the example plus overrides; resolves with its output. */
async function runLocalAction(
  name: string,
  overrides: Record<string, string>,
): Promise<{ code: number | null; output: string; outputs: Record<string, string> }> {
  const env = readDotenv(join(root, 'actions', name, '.env.example'));
  for (const [k, v] of Object.entries(overrides)) env.set(k, v);
  const file = join(work, `${name}.env`);
  writeFileSync(file, [...env].map(([k, v]) => `${k}=${v.includes('\n') ? JSON.stringify(v) : v}`).join('\n') + '\n');
  const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'scripts', 'local-action', 'index.ts'), name, file], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  clearTimeout(timer);
  return { code, output, outputs: outputsTable(output) };
}

/** The "Action Outputs" table local-action prints from its core stub. */
function outputsTable(output: string): Record<string, string> {
  const at = output.lastIndexOf('Action Outputs');
  const outputs: Record<string, string> = {};
  if (at < 0) return outputs;
  for (const line of output.slice(at).split('\n')) {
    const m = /^│\s*\d+\s*│\s*(['"])(.+?)\1\s*│\s*(['"`])(.*)\3\s*│$/.exec(line.trim());
    if (m) outputs[m[2]] = m[4];
  }
  return outputs;
}

const eventFile = (name: string, payload: unknown) => {
  const file = join(work, `${name}-event.json`);
  writeFileSync(file, JSON.stringify(payload));
  return file;
};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'local-action-'));
  github = await startFakeGitHub();
  slack = await startSlackServer();
  if (motoAvailable()) {
    s3 = await startS3Server();
    const client = new S3Client(s3.clientConfig);
    await client.send(new CreateBucketCommand({ Bucket: 'batches' }));
    for (const key of ['orders/part-1.parquet', 'customers/part-1.parquet']) {
      await client.send(new PutObjectCommand({ Bucket: 'batches', Key: `validated/batch_20241101_120000/${key}`, Body: 'data' }));
    }
    client.destroy();
  }
  if (sshdMissing().length === 0) sshd = await startSshd();
  echo = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
}, 120_000);

afterAll(async () => {
  await github?.stop();
  await slack?.stop();
  await s3?.stop();
  await sshd?.stop();
  await new Promise((r) => echo?.close(r));
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(actions)('%s', (name) => {
  test('has a .env.example that sets every input of action.yml', () => {
    const file = join(root, 'actions', name, '.env.example');
    expect(existsSync(file)).toBe(true);
    const meta = parseYaml(readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8')) as { inputs?: Record<string, unknown> };
    const declared = Object.keys(meta.inputs ?? {}).map((input) => `INPUT_${input.toUpperCase()}`);
    const missing = declared.filter((key) => !readDotenv(file).has(key));
    expect(missing).toEqual([]);
  });
});

const api = () => ({ GITHUB_API_URL: github.url, GITHUB_SERVER_URL: github.url, GITHUB_REPOSITORY: REPO });

test('determine-environment resolves a push to main from its example', async () => {
  const run = await runLocalAction('determine-environment', {
    ...api(),
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_PATH: eventFile('push', { ref: 'refs/heads/main', after: SHA, repository: { full_name: REPO } }),
  });
  expect(run.outputs.environment).toBe('dev');
  expect(run.outputs['ref-name']).toBe('main');
  expect(run.code).toBe(0);
}, 120_000);

test('notify-slack posts its example message to the capture server', async () => {
  const before = slack.messages.length;
  const run = await runLocalAction('notify-slack', { 'INPUT_WEBHOOK-URL': slack.webhookUrl, 'INPUT_DRY-RUN': 'false' });
  expect(run.code).toBe(0);
  expect(run.outputs.ok).toBe('true');
  expect(slack.messages.length).toBe(before + 1);
}, 120_000);

(motoAvailable() ? test : test.skip)(
  'validate-batch validates its example batch on moto',
  async () => {
    const run = await runLocalAction('validate-batch', {
      INPUT_BUCKET: 'batches',
      'INPUT_S3-ENDPOINT': s3!.endpoint,
      'INPUT_S3-FORCE-PATH-STYLE': 'true',
      ...s3!.env,
    });
    expect(run.outputs.valid).toBe('true');
    expect(run.outputs['fragment-count']).toBe('2');
  },
  120_000,
);

test('dashboard-update opens a dashboard on the local GitHub', async () => {
  const pull = github.issues.addPull({ number: 42, headSha: SHA });
  const run = await runLocalAction('dashboard-update', {
    ...api(),
    INPUT_TOKEN: 'ghs_writetoken',
    INPUT_MODE: 'init',
    'INPUT_PR-NUMBER': String(pull.number),
    INPUT_SHA: SHA,
    GITHUB_SHA: SHA,
    GITHUB_RUN_ID: '7001',
    GITHUB_EVENT_PATH: eventFile('pull_request', { number: 42, pull_request: { number: 42, head: { sha: SHA } } }),
  });
  expect(run.code).toBe(0);
  expect(Number(run.outputs['comment-id'])).toBeGreaterThan(0);
}, 120_000);

test('promote-artifact looks up the latest qa version on the local GitHub and says none is there yet', async () => {
  const before = github.server.countRequests({ method: 'GET', path: /\/deployments$/ });
  const run = await runLocalAction('promote-artifact', { ...api(), INPUT_TOKEN: 'ghs_writetoken', INPUT_STAGE: 'qa' });
  expect(github.server.countRequests({ method: 'GET', path: /\/deployments$/ })).toBeGreaterThan(before);
  // local-action's core stub prints the failure but leaves its own exit status at 0.
  expect(run.output).toContain('::error::No version of api is at qa yet');
}, 120_000);

test('dispatch-workflow dispatches its example workflow and gets that run', async () => {
  github.workflows.addWorkflow(
    REPO,
    'promote-qa.yml',
    'name: Promote to QA\non:\n  workflow_dispatch:\n    inputs:\n      artifact_version:\n        type: string\n        required: true\njobs:\n  promote:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n',
  );
  const run = await runLocalAction('dispatch-workflow', { ...api(), INPUT_TOKEN: 'ghs_writetoken' });
  expect(run.code).toBe(0);
  expect(run.outputs.method).toBe('run-details');
  expect(github.workflows.runs.map((r) => String(r.id))).toContain(run.outputs['run-id']);
}, 120_000);

(sshdMissing().length === 0 ? test : test.skip)(
  'ssh-tunnel opens a pinned tunnel through a throwaway sshd',
  async () => {
    const port = (echo.address() as { port: number }).port;
    const run = await runLocalAction('ssh-tunnel', {
      INPUT_HOST: '127.0.0.1',
      INPUT_PORT: String(sshd!.port),
      INPUT_USER: sshd!.user,
      'INPUT_PRIVATE-KEY': sshd!.clientKey.privateKey,
      'INPUT_KNOWN-HOSTS': sshd!.knownHostsLine,
      INPUT_FORWARDS: `0:127.0.0.1:${port}`,
      RUNNER_TEMP: work,
    });
    expect(run.code).toBe(0);
    expect(run.outputs['host-key-fingerprint']).toBe(sshd!.hostKeyFingerprint);
    if (run.outputs.pid) {
      try {
        process.kill(Number(run.outputs.pid));
      } catch {
        // already stopped by the post step
      }
    }
  },
  120_000,
);
