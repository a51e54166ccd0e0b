import { InputReader } from '@pipeline-actions/kit';
import type { StageDefinition } from './records.js';
import { normalizeStatus, STATUSES, type Status } from './status.js';

export const DEFAULT_STAGES: StageDefinition[] = [
  { key: 'ci', name: 'CI Validate' },
  { key: 'plan-bootstrap', name: 'Plan: bootstrap' },
  { key: 'plan-platform', name: 'Plan: platform' },
  { key: 'plan-data-staging', name: 'Plan: data-staging' },
  { key: 'plan-data-prod', name: 'Plan: data-prod' },
  { key: 'apply', name: 'Apply' },
  { key: 'e2e', name: 'E2E Tests' },
  { key: 'review', name: 'AI Review' },
];

export interface Inputs {
  token: string;
  mode: 'init' | 'update';
  prNumber?: number;
  sha?: string;
  stages: StageDefinition[];
  stage?: string;
  stageName?: string;
  status?: Status;
  link?: string;
  output: string;
  title: string;
  marker: string;
  commentId?: number;
  react: boolean;
  target: 'auto' | 'pr' | 'commit';
  failOnError: boolean;
  /** Where each stage's truth is kept. */
  record: 'status' | 'check-run' | 'none';
  /** init: reset every declared stage (true), none (false), or these keys. */
  reset: boolean | string[];
  minimizePrevious: boolean;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$/;
const KEY_FORM = 'at most 50 letters, digits, . _ - (starting with a letter or digit)';

export function getInputs(reader = new InputReader()): Inputs {
  const token = reader.secret('token', { required: true });
  const mode = reader.enumeration('mode', ['init', 'update'] as const, { default: 'update' });

  const prRaw = reader.raw('pr-number');
  const prNumber = prRaw === '' ? undefined : reader.integer('pr-number', { min: 1 });
  const shaRaw = reader.string('sha', { pattern: /^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/, form: 'a full 40-character commit SHA' });
  const commentRaw = reader.raw('comment-id');
  const commentId = commentRaw === '' ? undefined : reader.integer('comment-id', { min: 1 });

  const entries = reader.lineMap('stages', ':', { form: 'key: Display Name' });
  const stages: StageDefinition[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!KEY.test(entry.key)) reader.fail('stages', `line ${entry.line}: key '${entry.key}' is not valid: expected ${KEY_FORM}.`);
    else if (seen.has(entry.key))
      reader.fail('stages', `line ${entry.line}: key '${entry.key}' is listed twice: expected each stage once.`);
    seen.add(entry.key);
    stages.push({ key: entry.key, name: entry.value || entry.key });
  }

  const stage = reader.string('stage', {
    required: mode === 'update',
    pattern: KEY,
    form: `a stage key such as 'plan-platform' (${KEY_FORM})`,
  });
  const stageName = reader.string('stage-name');
  const statusRaw = reader.raw('status');
  let status: Status | undefined;
  if (statusRaw !== '') {
    status = normalizeStatus(statusRaw);
    if (!status)
      reader.fail(
        'status',
        `'${statusRaw}' is not a status: expected one of ${STATUSES.join(', ')} (or what job.status, steps.<id>.outcome and needs.<id>.result give).`,
      );
  } else if (mode === 'update' || stage !== '') {
    reader.fail('status', `is required${mode === 'init' ? " when 'stage' is set" : ''}: expected one of ${STATUSES.join(', ')}.`);
  }
  if (mode === 'init' && stage === '' && statusRaw !== '') reader.fail('stage', "is required when 'status' is set: expected a stage key.");

  const link = reader.string('link', { pattern: /^https?:\/\/\S+$/, form: 'an http(s) URL' });
  const output = reader.raw('output');
  const title = reader.string('title', { default: 'Commit Dashboard' });
  const marker = reader.string('marker', {
    default: 'infra-dashboard',
    pattern: /^(?!.*--)[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$/,
    form: `${KEY_FORM}, without '--'`,
  });
  const react = reader.boolean('react', { default: true });
  const target = reader.enumeration('target', ['auto', 'pr', 'commit'] as const, { default: 'auto' });
  const failOnError = reader.boolean('fail-on-error', { default: false });
  const record = reader.enumeration('record', ['status', 'check-run', 'none'] as const, { default: 'status' });
  const resetRaw = reader.raw('reset');
  let reset: boolean | string[] = true;
  if (/^(true|false)$/i.test(resetRaw)) reset = resetRaw.toLowerCase() === 'true';
  else if (resetRaw !== '') {
    reset = resetRaw
      .split(/[\n,]/)
      .map((k) => k.trim())
      .filter(Boolean);
    const declared = new Set((stages.length > 0 ? stages : DEFAULT_STAGES).map((d) => d.key));
    for (const key of reset)
      if (!declared.has(key))
        reader.fail('reset', `'${key}' is not a stage this init declares: expected true, false, or a list of declared stage keys.`);
  }
  const minimizePrevious = reader.boolean('minimize-previous', { default: true });
  reader.done();

  return {
    token,
    mode,
    prNumber,
    sha: shaRaw ? shaRaw.toLowerCase() : undefined,
    stages,
    stage: stage || undefined,
    stageName: stageName || undefined,
    status,
    link: link || undefined,
    output,
    title,
    marker,
    commentId,
    react,
    target,
    failOnError,
    record,
    reset,
    minimizePrevious,
  };
}
