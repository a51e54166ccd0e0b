import { RE2JS } from 're2js';

export const DEFAULT_BATCH_ID_PATTERN = '^batch_(\\d{8})_(\\d{6})$';

/** How far ahead of the clock a batch id may be dated (clock skew between the producer and us). */
const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

/** A compiled batch-id pattern that must match the whole id. */
export interface BatchIdPattern {
  source: string;
  test(id: string): boolean;
}

/**
 * Compiles a batch-id pattern with RE2 (the pure-JavaScript port): matching takes time linear in the id
 * whatever the pattern, so a pattern like `(a+)+$` cannot hang the step. The parser's message when it is
 * not a valid RE2 expression (RE2 has no backreferences or lookaround).
 */
export function compileBatchIdPattern(pattern: string): BatchIdPattern | string {
  try {
    const compiled = RE2JS.compile(pattern);
    return { source: pattern, test: (id) => compiled.matches(id) };
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Every problem with a batch id, as sentences that say what is expected.
 * With the default pattern the id also has to name a real UTC calendar moment, not more than a day ahead of `now`.
 */
export function checkBatchId(id: string, pattern: BatchIdPattern, checkCalendar: boolean, now: Date): string[] {
  const problems: string[] = [];
  // The id becomes one S3 path segment: a slash or a dot segment would point somewhere else.
  if (id.includes('/') || id === '.' || id === '..' || /\s/.test(id)) {
    problems.push(`'${id}' cannot be used as a batch id: expected one path segment without '/' or whitespace.`);
    return problems;
  }
  if (!pattern.test(id)) {
    const form = checkCalendar ? 'batch_YYYYMMDD_HHMMSS (UTC)' : `an id matching ${pattern.source}`;
    problems.push(`'${id}' does not match the batch id pattern: expected ${form}.`);
    return problems;
  }
  if (checkCalendar) {
    const moment = parseBatchMoment(id);
    if (typeof moment === 'string') {
      problems.push(`'${id}' is not a real UTC date and time (${moment}): expected batch_YYYYMMDD_HHMMSS.`);
    } else if (moment.getTime() - now.getTime() > MAX_FUTURE_MS) {
      problems.push(
        `'${id}' is dated ${moment.toISOString()}, more than a day in the future (now ${now.toISOString()}): expected the time the batch was produced, in UTC.`,
      );
    }
  }
  return problems;
}

/** The UTC moment a `batch_YYYYMMDD_HHMMSS` id names, or why it names none. */
export function parseBatchMoment(id: string): Date | string {
  const match = /(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})$/.exec(id);
  if (!match) return 'no YYYYMMDD_HHMMSS part';
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  if (month < 1 || month > 12) return `month ${match[2]} does not exist`;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return `day ${match[3]} does not exist in ${year}-${match[2]}`;
  if (hour > 23) return `hour ${match[4]} does not exist`;
  if (minute > 59) return `minute ${match[5]} does not exist`;
  // S3 batch ids come from clocks that never emit leap seconds.
  if (second > 59) return `second ${match[6]} does not exist`;
  if (year < 1970) return `year ${year} is before 1970`;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}
