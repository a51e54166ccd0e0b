import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { motoAvailable } from '../../../packages/testing/src/s3-server.js';
import { runWorkflow, startLocalServices, type LocalServices } from '../src/index.js';
import { fixture, step } from './helpers.js';

const maybe = motoAvailable() ? describe : describe.skip;
if (!motoAvailable()) console.warn('SKIPPED: the --local tests need moto (python3 -m pip install "moto[server]")');

maybe('with the local services', () => {
  let services: LocalServices;
  beforeAll(async () => {
    services = await startLocalServices();
  }, 60_000);
  afterAll(async () => {
    await services?.stop();
  });

  it("gives each job a token with exactly its permissions: a write the job's permissions do not grant is a 403", async () => {
    const run = await runWorkflow({ workflow: fixture('permissions.yml'), services });
    expect(run.jobs['may-comment'].result).toBe('success');
    expect(run.jobs['read-only'].result).toBe('failure');
    expect(step(run.jobs['read-only'], 'comment').outputs.status).toBe('403');
    const comments = run.services?.github.comments.map((c) => c.body);
    expect(comments).toContain('hello from may-comment');
    expect(comments).not.toContain('denied');
  });

  it('records a deployment for a job that names an environment, as GitHub does', async () => {
    const run = await runWorkflow({ workflow: fixture('environments.yml'), services });
    expect(run.conclusion).toBe('success');
    expect(JSON.stringify(run.services?.github.deployments)).toContain('"environment":"production"');
  });

  it('runs our actions from dist: determine-environment decides, notify-slack posts to the local Slack', async () => {
    const before = services.slack.messages.length;
    const run = await runWorkflow({ workflow: fixture('our-actions.yml'), inputs: { environment: 'production' }, services });
    expect(run.conclusion).toBe('success');
    expect(run.jobs.decide.outputs).toEqual({ environment: 'production' });
    expect(step(run.jobs.decide, 'env').summary).toContain('production');
    const sent = services.slack.messages.slice(before);
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0].blocks)).toContain('production');
    expect(run.services?.slack.at(-1)?.text).toContain('Our actions');
    expect(run.transcript.join('\n')).not.toContain(services.secrets.SLACK_WEBHOOK_URL);
  });
});

maybe('--state', () => {
  it('keeps S3 objects, GitHub comments and Slack messages between service lifetimes', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'rw-state-'));
    try {
      const first = await runWorkflow({ workflow: fixture('permissions.yml'), stateDir });
      expect(first.services?.github.comments).toHaveLength(1);
      const second = await runWorkflow({ workflow: fixture('our-actions.yml'), stateDir });
      expect(second.services?.github.comments.map((c) => c.body)).toEqual(['hello from may-comment']);
      expect(second.services?.slack).toHaveLength(1);
      expect(Object.keys(second.services?.s3 ?? {})).toEqual(expect.arrayContaining(['fragments', 'artifacts']));
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 120_000);
});
