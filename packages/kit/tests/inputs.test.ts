import { describe, expect, it } from '@jest/globals';
import { InputErrors } from '../src/errors.js';
import { InputReader, splitList } from '../src/inputs.js';

const reader = (values: Record<string, string>) => new InputReader((name) => (values[name] ?? '').trim());

function problems(r: InputReader): string[] {
  try {
    r.done();
    return [];
  } catch (error) {
    return (error as InputErrors).errors.map((e) => e.message);
  }
}

describe('InputReader', () => {
  it('requires a required string and names the input', () => {
    const r = reader({});
    r.string('host', { required: true });
    expect(problems(r)).toEqual(["Input 'host': is required."]);
  });

  it('checks a string against a pattern and says the expected form', () => {
    const r = reader({ id: 'nope' });
    r.string('id', { pattern: /^batch_\d+$/, form: 'batch_<digits>' });
    expect(problems(r)).toEqual(["Input 'id': 'nope' is not valid: expected batch_<digits>."]);
  });

  it('accepts only YAML booleans', () => {
    const r = reader({ a: 'True', b: 'FALSE', c: 'yes' });
    expect(r.boolean('a')).toBe(true);
    expect(r.boolean('b')).toBe(false);
    r.boolean('c');
    expect(problems(r)).toEqual(["Input 'c': 'yes' is not a boolean: expected true or false."]);
  });

  it('reads whole numbers in range and refuses fractions and out-of-range values', () => {
    const r = reader({ ok: '50', frac: '1.5', big: '201', empty: '' });
    expect(r.integer('ok', { min: 1, max: 200 })).toBe(50);
    expect(r.integer('empty', { default: 7 })).toBe(7);
    r.integer('frac', { min: 1, max: 200 });
    r.integer('big', { min: 1, max: 200 });
    expect(problems(r)).toEqual([
      "Input 'frac': '1.5' is not a whole number: expected a whole number from 1 to 200.",
      "Input 'big': 201 is out of range: expected a whole number from 1 to 200.",
    ]);
  });

  it('reads an enumeration with a default and aliases', () => {
    const r = reader({ mode: 'mark-loaded', other: 'bogus', alias: 'cancel' });
    expect(r.enumeration('mode', ['validate', 'mark-loaded'] as const)).toBe('mark-loaded');
    expect(r.enumeration('missing', ['validate', 'mark-loaded'] as const, { default: 'validate' })).toBe('validate');
    expect(r.enumeration('alias', ['cancelled'] as const, { aliases: { cancel: 'cancelled' } })).toBe('cancelled');
    r.enumeration('other', ['validate', 'mark-loaded'] as const);
    expect(problems(r)).toEqual(["Input 'other': 'bogus' is not one of: validate, mark-loaded."]);
  });

  it('splits lists on commas and newlines, trimmed, empties dropped', () => {
    expect(splitList('gap, uc_demarc\n protect,,\n')).toEqual(['gap', 'uc_demarc', 'protect']);
    expect(reader({ l: 'a,b' }).list('l')).toEqual(['a', 'b']);
  });

  it('reads KEY => VALUE line maps, skipping comments, and reports a line without the separator', () => {
    const r = reader({ m: '0 2 * * * => production\n# comment\n\n0 */6 * * *=>qa\nbroken line' });
    expect(r.lineMap('m', '=>')).toEqual([
      { key: '0 2 * * *', value: 'production', line: 1 },
      { key: '0 */6 * * *', value: 'qa', line: 4 },
    ]);
    expect(problems(r)).toEqual(["Input 'm': line 5 'broken line' has no '=>': expected one 'KEY => VALUE' a line."]);
  });

  it('reads Label: value maps, keeping colons in the value', () => {
    expect(reader({ f: 'Run: http://x/y\nBatch ID: b1' }).lineMap('f', ':')).toEqual([
      { key: 'Run', value: 'http://x/y', line: 1 },
      { key: 'Batch ID', value: 'b1', line: 2 },
    ]);
  });

  it('reads a YAML mapping and refuses a list or invalid YAML', () => {
    const r = reader({ v: '{production: {suffix: ""}, dev: {suffix: -test}}', list: '- a\n- b', bad: '{a: [' });
    expect(r.yamlMapping('v')).toEqual({ production: { suffix: '' }, dev: { suffix: '-test' } });
    expect(r.yamlMapping('none')).toEqual({});
    r.yamlMapping('list');
    r.yamlMapping('bad');
    const found = problems(r);
    expect(found[0]).toBe("Input 'list': is not a mapping: expected a YAML mapping such as '{key: value}'.");
    expect(found[1]).toMatch(/^Input 'bad': is not valid YAML/);
  });

  it('collects every problem and reports them together', () => {
    const r = reader({ size: 'x', flag: 'maybe' });
    r.string('host', { required: true });
    r.integer('size');
    r.boolean('flag');
    expect(problems(r)).toHaveLength(3);
  });
});
