import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inputEnvName, runAction, runMainAndPost } from '../src/harness.js';

const fixture = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'echo-action');

describe('runAction', () => {
  it('passes inputs as INPUT_* with spaces as _ and hyphens kept, defaults from action.yml applied', async () => {
    const result = await runAction(fixture, { inputs: { 'batch-id': 'batch_20240115_140000' } });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.greeting).toBe('hello');
    expect(result.outputs.batch).toBe('batch_20240115_140000\nsecond line');
  });

  it('runs the bundle under Node 24, the runtime of runs.using node24', async () => {
    const result = await runAction(fixture);
    expect(result.outputs.node.split('.')[0]).toBe('24');
  });

  it('writes the event payload to GITHUB_EVENT_PATH', async () => {
    const result = await runAction(fixture, { event: { action: 'opened' }, eventName: 'pull_request' });
    expect(result.outputs.event).toBe('opened');
  });

  it('collects the summary, state and workflow commands', async () => {
    const result = await runAction(fixture, { env: { FAIL: 'yes' } });
    expect(result.exitCode).toBe(1);
    expect(result.summary).toBe('### Fixture ran\n');
    expect(result.state.pidfile).toMatch(/fixture\.pid$/);
    expect(result.errors).toEqual(["Input 'batch-id': is required."]);
    expect(result.warnings).toEqual(['careful\nnext line']);
    expect(result.commands.find((c) => c.command === 'warning')?.properties).toEqual({ file: 'a.ts', line: '3' });
  });

  it('reports a masked value printed before its mask was registered', async () => {
    const clean = await runAction(fixture, { inputs: { password: 's3cr3t-value' } });
    expect(clean.masks).toEqual(['s3cr3t-value']);
    expect(clean.leakedSecrets).toEqual([]);
    const leaky = await runAction(fixture, { inputs: { password: 's3cr3t-value' }, env: { LEAK: 'before-mask' } });
    expect(leaky.leakedSecrets).toEqual(['s3cr3t-value']);
  });

  it('treats a masked value printed after its mask as masked, but a declared secret as leaked anywhere', async () => {
    const masked = await runAction(fixture, { inputs: { password: 's3cr3t-value' }, env: { LEAK: 'after-mask' } });
    expect(masked.leakedSecrets).toEqual([]);
    const declared = await runAction(fixture, {
      inputs: { password: 's3cr3t-value' },
      env: { LEAK: 'after-mask' },
      secrets: ['s3cr3t-value'],
    });
    expect(declared.leakedSecrets).toEqual(['s3cr3t-value']);
  });

  it('runs post with the state main saved, in the same runner directory', async () => {
    const { main, post } = await runMainAndPost(fixture);
    expect(main.exitCode).toBe(0);
    expect(post.exitCode).toBe(0);
    expect(post.outputs.cleaned).toBe('yes');
    expect(existsSync(main.state.pidfile)).toBe(false);
  });

  it('names input variables as the runner does', () => {
    expect(inputEnvName('batch-id')).toBe('INPUT_BATCH-ID');
    expect(inputEnvName('greeting name')).toBe('INPUT_GREETING_NAME');
  });
});
