/** The statuses a pipeline reports, and how each one looks in Slack. */
export const STATUSES = ['success', 'failure', 'cancelled', 'skipped', 'started', 'running'] as const;
export type Status = (typeof STATUSES)[number];

// What job.status, needs.<id>.result and steps.<id>.outcome produce, plus common spellings.
const ALIASES: Record<string, Status> = {
  success: 'success',
  succeeded: 'success',
  successful: 'success',
  passed: 'success',
  failure: 'failure',
  failed: 'failure',
  fail: 'failure',
  error: 'failure',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  skipped: 'skipped',
  started: 'started',
  start: 'started',
  running: 'running',
  in_progress: 'running',
  'in-progress': 'running',
};

/** Normalises a status as written in a workflow (case-insensitive); undefined when unknown. */
export function parseStatus(value: string): Status | undefined {
  return ALIASES[value.trim().toLowerCase()];
}

export interface StatusLook {
  emoji: string;
  /** The words after the workflow name in the default title. */
  word: string;
  color: string;
}

const LOOKS: Record<Status, StatusLook> = {
  success: { emoji: '✅', word: 'Completed Successfully', color: '#2EB67D' },
  failure: { emoji: '❌', word: 'Failed', color: '#E01E5A' },
  cancelled: { emoji: '⚠️', word: 'Cancelled', color: '#ECB22E' },
  skipped: { emoji: '⏭️', word: 'Skipped', color: '#8D8D8D' },
  started: { emoji: '🔄', word: 'Started', color: '#1D9BD1' },
  running: { emoji: '🔄', word: 'Running', color: '#1D9BD1' },
};

export function statusLook(status: Status): StatusLook {
  return LOOKS[status];
}

/** When the mention is added: a set of statuses, or always / never. */
export type MentionOn = Status[] | 'always' | 'never';

export function shouldMention(status: Status | undefined, on: MentionOn): boolean {
  if (on === 'always') return true;
  if (on === 'never' || status === undefined) return false;
  return on.includes(status);
}
