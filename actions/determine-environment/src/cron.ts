/** POSIX cron as GitHub's `on.schedule` accepts it: five fields, numbers, `*`, ranges, steps, lists, names. */

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: DAYS },
];

export const CRON_FORM = "five fields 'minute hour day-of-month month day-of-week', e.g. '0 2 * * *'";

/**
 * The form two crons are compared in: fields separated by one space, names upper-cased.
 * `github.event.schedule` carries the cron exactly as written in the workflow, so spacing may differ.
 */
export function normaliseCron(cron: string): string {
  return cron.trim().split(/\s+/).join(' ').toUpperCase();
}

/** The problem with a cron, or undefined when it is valid. */
export function cronProblem(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5) return `has ${fields.length} field${fields.length === 1 ? '' : 's'}`;
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(fields[i], FIELDS[i]);
    if (problem) return problem;
  }
  return undefined;
}

function fieldProblem(text: string, field: Field): string | undefined {
  for (const part of text.split(',')) {
    if (part === '') return `${field.name} '${text}' has an empty list item`;
    const [range, step, extra] = part.split('/');
    if (extra !== undefined) return `${field.name} '${part}' has more than one '/'`;
    if (step !== undefined && !/^\d+$/.test(step)) return `${field.name} step '${step}' is not a whole number`;
    if (step !== undefined && (Number(step) < 1 || Number(step) > field.max)) {
      return `${field.name} step ${step} is out of range 1-${field.max}`;
    }
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `${field.name} '${range}' is not a value or a range`;
    const values: number[] = [];
    for (const bound of bounds) {
      const value = fieldValue(bound, field);
      if (typeof value === 'string') return value;
      values.push(value);
    }
    if (values.length === 2 && values[0] > values[1]) return `${field.name} range '${range}' runs backwards`;
  }
  return undefined;
}

function fieldValue(text: string, field: Field): number | string {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n < field.min || n > field.max ? `${field.name} ${text} is out of range ${field.min}-${field.max}` : n;
  }
  const named = field.names?.indexOf(text.toUpperCase() as never) ?? -1;
  if (named >= 0) return named + field.min;
  const expected = field.names
    ? `a number ${field.min}-${field.max} or a name ${field.names[0]}-${field.names.at(-1)}`
    : `a number ${field.min}-${field.max}`;
  return `${field.name} '${text}' is not ${expected}`;
}
