import * as core from '@actions/core';
import { parse as parseYaml } from 'yaml';
import { InputError, InputErrors } from './errors.js';

export type InputGetter = (name: string) => string;

/** Reads an input the way the runner passes it: `INPUT_<NAME>` upper-cased, spaces as `_`, hyphens kept. */
export const envInput: InputGetter = (name) => (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();

const YAML_TRUE = ['true', 'True', 'TRUE'];
const YAML_FALSE = ['false', 'False', 'FALSE'];

export interface LineMapEntry {
  key: string;
  value: string;
  line: number;
}

/**
 * Typed input readers that collect every problem before failing.
 * Each reader returns a usable value; when the input is bad it records an InputError and
 * returns a placeholder, so `done()` must be called before any value is used.
 */
export class InputReader {
  private readonly errors: InputError[] = [];

  constructor(private readonly get: InputGetter = envInput) {}

  fail(input: string, problem: string): void {
    this.errors.push(new InputError(input, problem));
  }

  /** Throws every recorded problem at once. */
  done(): void {
    if (this.errors.length > 0) throw new InputErrors(this.errors);
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }

  raw(name: string): string {
    return this.get(name);
  }

  string(name: string, opts: { required?: boolean; default?: string; pattern?: RegExp; form?: string } = {}): string {
    const value = this.get(name);
    if (value === '') {
      if (opts.required) this.fail(name, `is required${opts.form ? `: expected ${opts.form}` : ''}.`);
      return opts.default ?? '';
    }
    if (opts.pattern && !opts.pattern.test(value)) {
      this.fail(name, `'${value}' is not valid: expected ${opts.form ?? `a value matching ${opts.pattern}`}.`);
    }
    return value;
  }

  /** A secret: masked the moment it is read, and never echoed in an error. */
  secret(name: string, opts: { required?: boolean } = {}): string {
    const value = this.get(name);
    if (value !== '') {
      core.setSecret(value);
      for (const line of value.split(/\r?\n/)) if (line.trim().length > 3) core.setSecret(line.trim());
    } else if (opts.required) {
      this.fail(name, 'is required.');
    }
    return value;
  }

  /** YAML 1.2 core booleans only: true | True | TRUE | false | False | FALSE. */
  boolean(name: string, opts: { default?: boolean } = {}): boolean {
    const value = this.get(name);
    if (value === '') return opts.default ?? false;
    if (YAML_TRUE.includes(value)) return true;
    if (YAML_FALSE.includes(value)) return false;
    this.fail(name, `'${value}' is not a boolean: expected true or false.`);
    return opts.default ?? false;
  }

  integer(name: string, opts: { default?: number; min?: number; max?: number; required?: boolean } = {}): number {
    const value = this.get(name);
    const range = describeRange(opts.min, opts.max);
    if (value === '') {
      if (opts.required || opts.default === undefined) {
        if (opts.required) this.fail(name, `is required: expected a whole number${range}.`);
        return NaN;
      }
      return opts.default;
    }
    if (!/^[+-]?\d+$/.test(value)) {
      this.fail(name, `'${value}' is not a whole number: expected a whole number${range}.`);
      return opts.default ?? NaN;
    }
    const n = Number(value);
    if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max) || !Number.isSafeInteger(n)) {
      this.fail(name, `${value} is out of range: expected a whole number${range}.`);
    }
    return n;
  }

  enumeration<T extends string>(name: string, allowed: readonly T[], opts: { default?: T; aliases?: Record<string, T> } = {}): T {
    const value = this.get(name);
    if (value === '' && opts.default !== undefined) return opts.default;
    const hit = allowed.find((a) => a === value) ?? opts.aliases?.[value];
    if (hit === undefined) {
      this.fail(name, `'${value}' is not one of: ${allowed.join(', ')}.`);
      return opts.default ?? allowed[0];
    }
    return hit;
  }

  /** Comma or newline separated, trimmed, empty items dropped. */
  list(name: string, opts: { default?: string[]; required?: boolean } = {}): string[] {
    const value = this.get(name);
    if (value === '') {
      if (opts.required) this.fail(name, 'is required: expected a comma or newline separated list.');
      return opts.default ?? [];
    }
    return splitList(value);
  }

  /**
   * One `key => value` (separator '=>') or `key: value` (separator ':') a line.
   * Blank lines and lines starting with '#' are skipped; keys must be unique.
   */
  lineMap(name: string, separator: '=>' | ':', opts: { form?: string } = {}): LineMapEntry[] {
    const value = this.get(name);
    const entries: LineMapEntry[] = [];
    const form = opts.form ?? (separator === '=>' ? 'KEY => VALUE' : 'Key: value');
    value.split(/\r?\n/).forEach((text, i) => {
      const line = text.trim();
      if (line === '' || line.startsWith('#')) return;
      const at = line.indexOf(separator);
      if (at <= 0) {
        this.fail(name, `line ${i + 1} '${line}' has no '${separator}': expected one '${form}' a line.`);
        return;
      }
      const key = line.slice(0, at).trim();
      const val = line.slice(at + separator.length).trim();
      if (key === '') {
        this.fail(name, `line ${i + 1} '${line}' has an empty key: expected '${form}'.`);
        return;
      }
      entries.push({ key, value: val, line: i + 1 });
    });
    return entries;
  }

  /** A YAML (or JSON) mapping. Empty gives `{}`. */
  yamlMapping(name: string): Record<string, unknown> {
    const value = this.get(name);
    if (value === '') return {};
    let parsed: unknown;
    try {
      parsed = parseYaml(value);
    } catch (error) {
      this.fail(name, `is not valid YAML (${firstLine(error)}): expected a mapping such as '{key: value}'.`);
      return {};
    }
    if (!isPlainObject(parsed)) {
      this.fail(name, `is not a mapping: expected a YAML mapping such as '{key: value}'.`);
      return {};
    }
    return parsed;
  }
}

export function splitList(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeRange(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return '';
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
