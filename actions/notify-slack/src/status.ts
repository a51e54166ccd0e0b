/**
 * Every status GitHub reports (job.status, steps.<id>.outcome, needs.<id>.result,
 * workflow_run.conclusion and status, check run and check suite conclusions), and how each looks in Slack.
 */
export const STATUSES = [
  'success',
  'failure',
  'timed_out',
  'startup_failure',
  'cancelled',
  'action_required',
  'skipped',
  'neutral',
  'stale',
  'started',
  'running',
  'queued',
] as const;
export type Status = (typeof STATUSES)[number];

/** What a status means for the pipeline: drives the colour, mention-on `failure` and mention-actor. */
export type StatusKind = 'success' | 'failure' | 'warning' | 'skipped' | 'progress';

const ALIASES: Record<string, Status> = {
  succeeded: 'success',
  successful: 'success',
  passed: 'success',
  completed: 'success',
  failed: 'failure',
  fail: 'failure',
  error: 'failure',
  errored: 'failure',
  timeout: 'timed_out',
  'timed-out': 'timed_out',
  canceled: 'cancelled',
  'action-required': 'action_required',
  'startup-failure': 'startup_failure',
  start: 'started',
  in_progress: 'running',
  'in-progress': 'running',
  pending: 'queued',
  requested: 'queued',
  waiting: 'queued',
};

/** Normalises a status as GitHub or a workflow writes it (case-insensitive); undefined when unknown. */
export function parseStatus(value: string): Status | undefined {
  const key = value.trim().toLowerCase();
  return (STATUSES as readonly string[]).includes(key) ? (key as Status) : ALIASES[key];
}

export interface StatusLook {
  emoji: string;
  /** The words after the workflow name in the default title. */
  word: string;
  color: string;
  kind: StatusKind;
}

const GREEN = '#2EB67D';
const RED = '#E01E5A';
const YELLOW = '#ECB22E';
const GREY = '#8D8D8D';
const BLUE = '#1D9BD1';

const LOOKS: Record<Status, StatusLook> = {
  success: { emoji: '✅', word: 'Completed Successfully', color: GREEN, kind: 'success' },
  failure: { emoji: '❌', word: 'Failed', color: RED, kind: 'failure' },
  timed_out: { emoji: '⏱️', word: 'Timed Out', color: RED, kind: 'failure' },
  startup_failure: { emoji: '🚫', word: 'Failed to Start', color: RED, kind: 'failure' },
  cancelled: { emoji: '⚠️', word: 'Cancelled', color: YELLOW, kind: 'warning' },
  action_required: { emoji: '✋', word: 'Needs Action', color: YELLOW, kind: 'warning' },
  skipped: { emoji: '⏭️', word: 'Skipped', color: GREY, kind: 'skipped' },
  neutral: { emoji: '⚪', word: 'Finished (Neutral)', color: GREY, kind: 'skipped' },
  stale: { emoji: '💤', word: 'Went Stale', color: GREY, kind: 'skipped' },
  started: { emoji: '🔄', word: 'Started', color: BLUE, kind: 'progress' },
  running: { emoji: '🔄', word: 'Running', color: BLUE, kind: 'progress' },
  queued: { emoji: '⏳', word: 'Queued', color: BLUE, kind: 'progress' },
};

export function statusLook(status: Status): StatusLook {
  return LOOKS[status];
}

export function isFailure(status: Status | undefined): boolean {
  return status !== undefined && LOOKS[status].kind === 'failure';
}

/** When the mention is added: a set of statuses, or always / never. */
export type MentionOn = Status[] | 'always' | 'never';

/** `failure` in mention-on stands for every failure-like conclusion (timed_out, startup_failure too). */
export function shouldMention(status: Status | undefined, on: MentionOn): boolean {
  if (on === 'always') return true;
  if (on === 'never' || status === undefined) return false;
  return on.includes(status) || (on.includes('failure') && isFailure(status));
}
