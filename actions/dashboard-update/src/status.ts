/** The stage statuses the dashboard shows, in the order of their legend. */
export const STATUSES = ['pending', 'running', 'success', 'failure', 'skipped', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];

/** One emoji a status; documented in the README. */
export const STATUS_EMOJI: Record<Status, string> = {
  pending: '⏳',
  running: '🔄',
  success: '✅',
  failure: '❌',
  skipped: '⏭️',
  cancelled: '🚫',
};

/**
 * What `job.status`, `steps.<id>.outcome`, `steps.<id>.conclusion`, `needs.<id>.result` and
 * check-run statuses/conclusions produce, plus common spellings, mapped to a dashboard status.
 */
const ALIASES: Record<string, Status> = {
  pending: 'pending',
  queued: 'pending',
  waiting: 'pending',
  requested: 'pending',
  expected: 'pending',
  running: 'running',
  in_progress: 'running',
  'in-progress': 'running',
  inprogress: 'running',
  started: 'running',
  start: 'running',
  success: 'success',
  succeeded: 'success',
  successful: 'success',
  passed: 'success',
  pass: 'success',
  ok: 'success',
  failure: 'failure',
  failed: 'failure',
  fail: 'failure',
  error: 'failure',
  errored: 'failure',
  timed_out: 'failure',
  'timed-out': 'failure',
  startup_failure: 'failure',
  skipped: 'skipped',
  skip: 'skipped',
  neutral: 'skipped',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  cancel: 'cancelled',
};

/** A dashboard status for any accepted spelling (case-insensitive), or undefined. */
export function normalizeStatus(value: string): Status | undefined {
  return ALIASES[value.trim().toLowerCase()];
}
