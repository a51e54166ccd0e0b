// Shared by the harness tests: runs the bundled dist/ as the runner does and checks, for every run,
// that no secret reached stdout, stderr, outputs or the summary, and that no stack trace was printed.
import { expect } from '@jest/globals';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAction, type ActionResult, type RunActionOptions } from '../../../packages/testing/src/index.js';
import type { SlackServer } from '../../../packages/testing/src/slack-server.js';

export const actionDir = join(dirname(fileURLToPath(import.meta.url)), '..');

export function notifier(slack: () => SlackServer) {
  return async (inputs: Record<string, string>, options: Omit<RunActionOptions, 'inputs'> = {}): Promise<ActionResult> => {
    const secrets = [inputs['webhook-url'], inputs.token].filter((s): s is string => !!s);
    const webhookPath = inputs['webhook-url'] ? new URL(inputs['webhook-url']).pathname : '';
    const result = await runAction(actionDir, {
      ...options,
      inputs: { 'slack-api-url': slack().apiUrl, ...inputs },
      env: { GITHUB_WORKFLOW: 'REDCap Pipeline', ...options.env },
      secrets: [...secrets, ...(webhookPath ? [webhookPath] : [])],
    });
    expect(result.leakedSecrets).toEqual([]);
    const stdout = result.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    const everything = [stdout, result.stderr, result.summary, JSON.stringify(result.outputs)].join('\n');
    for (const secret of [...secrets, webhookPath].filter(Boolean)) expect(everything).not.toContain(secret);
    expect(result.stderr).not.toMatch(/\bat .+\.js:\d+/); // no stack traces
    return result;
  };
}
