import { describe, expect, it } from '@jest/globals';
import { InputErrors } from '@pipeline-actions/kit';
import { getInputs } from '../src/inputs.js';

const env = { GITHUB_REPOSITORY: 'octo-org/pipeline-demo', GITHUB_REF: 'refs/heads/main' };
const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

function errorsOf(values: Record<string, string>, extraEnv: Record<string, string> = {}): string[] {
  try {
    getInputs(reader(values), { ...env, ...extraEnv });
  } catch (error) {
    if (error instanceof InputErrors) return error.errors.map((e) => e.message);
    throw error;
  }
  return [];
}

describe('getInputs', () => {
  it('defaults the repository and the ref to this run, and reads the inputs mapping as strings', () => {
    const inputs = getInputs(reader({ workflow: 'promote-qa.yml', token: 't', inputs: '{version: 1.10, dry: true}' }), env);
    expect(inputs).toMatchObject({
      owner: 'octo-org',
      repo: 'pipeline-demo',
      ref: 'main',
      inputs: { version: '1.10', dry: 'true' },
      wait: false,
      failOnConclusion: true,
      waitTimeoutMs: 3_600_000,
      pollIntervalMs: 5_000,
      correlation: 'auto',
    });
  });

  it("uses a pull request's head branch instead of its merge ref", () => {
    const inputs = getInputs(reader({ workflow: 'x.yml', token: 't', ref: 'refs/pull/7/merge' }), { ...env, GITHUB_HEAD_REF: 'feature/x' });
    expect(inputs.ref).toBe('feature/x');
    expect(errorsOf({ workflow: 'x.yml', token: 't', ref: 'refs/pull/7/merge' })).toEqual([
      "Input 'ref': 'refs/pull/7/merge' is a pull request ref, which cannot be dispatched: expected a branch or tag name such as main.",
    ]);
  });

  it('accepts a workflow path, an id, and decimal intervals', () => {
    const inputs = getInputs(
      reader({ workflow: '.github/workflows/deploy.yaml', token: 't', 'poll-interval-seconds': '0.5', 'wait-timeout-minutes': '1.5' }),
      env,
    );
    expect(inputs).toMatchObject({ workflow: 'deploy.yaml', pollIntervalMs: 500, waitTimeoutMs: 90_000 });
    expect(getInputs(reader({ workflow: '161335', token: 't' }), env).workflow).toBe('161335');
  });

  it('names every bad input at once', () => {
    expect(errorsOf({ workflow: '', 'poll-interval-seconds': '0', wait: 'yes', inputs: '- a' })).toEqual([
      "Input 'workflow': is required: expected a workflow file name in .github/workflows such as 'promote-qa.yml', or a workflow id.",
      "Input 'inputs': is not a mapping: expected a YAML or JSON mapping such as '{artifact_version: 84fb588}'.",
      "Input 'token': is required.",
      "Input 'wait': 'yes' is not a boolean: expected true or false.",
      "Input 'poll-interval-seconds': 0 is out of range: expected a number from 0.01 to 600.",
    ]);
  });

  it('refuses more than 25 workflow inputs', () => {
    const many = Array.from({ length: 26 }, (_, i) => `k${i}: v`).join('\n');
    expect(errorsOf({ workflow: 'x.yml', token: 't', inputs: many })).toEqual([
      "Input 'inputs': has 26 entries: GitHub accepts at most 25 workflow_dispatch inputs.",
    ]);
  });
});
