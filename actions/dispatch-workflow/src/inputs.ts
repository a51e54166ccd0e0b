import { InputReader, isPlainObject, type InputGetter } from '@pipeline-actions/kit';
import { parse as parseYaml } from 'yaml';
import { MAX_INPUTS, type CorrelationMode } from '@pipeline-actions/dispatch';

export interface Inputs {
  workflow: string;
  ref: string;
  inputs: Record<string, string>;
  owner: string;
  repo: string;
  token: string;
  wait: boolean;
  waitTimeoutMs: number;
  pollIntervalMs: number;
  failOnConclusion: boolean;
  correlation: CorrelationMode;
}

const WORKFLOW = /^(\d+|(\.github\/workflows\/)?[^/\s]+\.ya?ml)$/;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const DECIMAL = /^\d+(\.\d+)?$/;

/** Reads and checks every input; all problems are reported together and nothing is dispatched when any is found. */
export function getInputs(get?: InputGetter, env: NodeJS.ProcessEnv = process.env): Inputs {
  const r = new InputReader(get);
  const workflow = r.string('workflow', {
    required: true,
    pattern: WORKFLOW,
    form: "a workflow file name in .github/workflows such as 'promote-qa.yml', or a workflow id",
  });
  const ref = defaultRef(r.string('ref'), env);
  if (ref === '') r.fail('ref', 'is empty and this run has no ref (GITHUB_REF): expected a branch or tag name such as main.');
  else if (/^refs\/pull\//.test(ref))
    r.fail('ref', `'${ref}' is a pull request ref, which cannot be dispatched: expected a branch or tag name such as main.`);

  const repository = r.string('repository', { default: env.GITHUB_REPOSITORY ?? '', pattern: REPOSITORY, form: 'owner/name' });
  if (repository === '') r.fail('repository', 'is empty and GITHUB_REPOSITORY is not set: expected owner/name.');
  const [owner = '', repo = ''] = repository.split('/');

  const inputs = readWorkflowInputs(r);
  const token = r.secret('token', { required: true });
  const correlation = r.enumeration<CorrelationMode>('correlation', ['auto', 'run-details', 'distinct-id'], { default: 'auto' });
  const wait = r.boolean('wait');
  const waitTimeoutMinutes = decimal(r, 'wait-timeout-minutes', r.raw('wait-timeout-minutes'), 60, 0.01, 24 * 60);
  const pollIntervalSeconds = decimal(r, 'poll-interval-seconds', r.raw('poll-interval-seconds'), 5, 0.01, 600);
  const failOnConclusion = r.boolean('fail-on-conclusion', { default: true });
  r.done();
  return {
    workflow: workflow.replace(/^\.github\/workflows\//, ''),
    ref,
    inputs,
    owner,
    repo,
    token,
    wait,
    waitTimeoutMs: Math.round(waitTimeoutMinutes * 60_000),
    pollIntervalMs: Math.round(pollIntervalSeconds * 1000),
    failOnConclusion,
    correlation,
  };
}

/** The action.yml default is `${{ github.ref }}`; on a pull request that ref cannot be dispatched, so its head branch is used. */
function defaultRef(given: string, env: NodeJS.ProcessEnv): string {
  const ref = given || env.GITHUB_REF || '';
  if (/^refs\/pull\//.test(ref) && env.GITHUB_HEAD_REF) return env.GITHUB_HEAD_REF;
  return ref.replace(/^refs\/(heads|tags)\//, '');
}

/**
 * The failsafe schema keeps every scalar as written: `artifact_version: 1.10` stays '1.10' (the core schema would
 * send 1.1) and `dry: true` stays 'true', which is how GitHub passes inputs to the workflow anyway.
 */
function readWorkflowInputs(r: InputReader): Record<string, string> {
  const text = r.raw('inputs');
  if (text === '') return {};
  let mapping: unknown;
  try {
    mapping = parseYaml(text, { schema: 'failsafe' });
  } catch (error) {
    r.fail('inputs', `is not valid YAML (${firstLine(error)}): expected a mapping such as '{artifact_version: 84fb588}'.`);
    return {};
  }
  if (!isPlainObject(mapping)) {
    r.fail('inputs', "is not a mapping: expected a YAML or JSON mapping such as '{artifact_version: 84fb588}'.");
    return {};
  }
  const inputs: Record<string, string> = {};
  for (const [key, value] of Object.entries(mapping)) {
    if (typeof value !== 'string') {
      r.fail('inputs', `'${key}' is not a single value: expected a mapping of input names to strings, numbers or booleans.`);
      continue;
    }
    inputs[key] = value;
  }
  if (Object.keys(inputs).length > MAX_INPUTS)
    r.fail('inputs', `has ${Object.keys(inputs).length} entries: GitHub accepts at most ${MAX_INPUTS} workflow_dispatch inputs.`);
  return inputs;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

function decimal(r: InputReader, name: string, text: string, fallback: number, min: number, max: number): number {
  if (text === '') return fallback;
  if (!DECIMAL.test(text)) {
    r.fail(name, `'${text}' is not a number: expected a number from ${min} to ${max}.`);
    return fallback;
  }
  const value = Number(text);
  if (value < min || value > max) r.fail(name, `${text} is out of range: expected a number from ${min} to ${max}.`);
  return value;
}
