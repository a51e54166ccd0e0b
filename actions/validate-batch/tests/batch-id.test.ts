import { describe, expect, it } from '@jest/globals';
import { DEFAULT_BATCH_ID_PATTERN, checkBatchId, compileBatchIdPattern, parseBatchMoment, type BatchIdPattern } from '../src/batch-id.js';

const now = new Date('2026-11-25T12:00:00Z');
const pattern = compileBatchIdPattern(DEFAULT_BATCH_ID_PATTERN) as BatchIdPattern;
const check = (id: string) => checkBatchId(id, pattern, true, now);

describe('batch id', () => {
  it('accepts a real UTC moment in the past', () => {
    expect(check('batch_20241101_120000')).toEqual([]);
  });

  it('accepts the last second of a leap day', () => {
    expect(check('batch_20240229_235959')).toEqual([]);
  });

  it('refuses the month 13 and hour 99 the bash accepted', () => {
    expect(check('batch_20241399_999999')).toEqual([expect.stringContaining('month 13 does not exist')]);
  });

  it('refuses February 29 in a common year', () => {
    expect(check('batch_20250229_120000')).toEqual([expect.stringContaining('day 29 does not exist in 2025-02')]);
  });

  it.each([
    ['batch_20241101_240000', 'hour 24'],
    ['batch_20241101_126000', 'minute 60'],
    ['batch_20241101_120060', 'second 60'],
    ['batch_20241100_120000', 'day 00'],
  ])('refuses %s (%s)', (id, what) => {
    expect(check(id)).toEqual([expect.stringContaining(`${what} does not exist`)]);
  });

  it('allows up to a day ahead for clock skew but not more', () => {
    expect(check('batch_20261126_115959')).toEqual([]);
    expect(check('batch_20261126_120001')).toEqual([expect.stringContaining('more than a day in the future')]);
  });

  it('refuses ids that do not match the pattern and names the expected form', () => {
    expect(check('batch_2024110_120000')).toEqual([expect.stringContaining('expected batch_YYYYMMDD_HHMMSS')]);
    expect(check('xbatch_20241101_120000')).toHaveLength(1);
  });

  it('refuses ids that would escape their S3 path segment', () => {
    expect(checkBatchId('../other', /.*/, false, now)).toEqual([expect.stringContaining("without '/'")]);
    expect(checkBatchId('a b', /.*/, false, now)).toHaveLength(1);
  });

  it('makes a custom pattern match the whole id and skips the calendar check', () => {
    const custom = compileBatchIdPattern('run-\\d+') as BatchIdPattern;
    expect(checkBatchId('run-42', custom, false, now)).toEqual([]);
    expect(checkBatchId('run-42-extra', custom, false, now)).toEqual([expect.stringContaining('does not match')]);
  });

  it('matches a pattern that backtracks exponentially in JavaScript in linear time', () => {
    const evil = compileBatchIdPattern('(a+)+$') as BatchIdPattern;
    // With RegExp this input takes minutes; RE2 answers at once (a hang here is the test failing by timeout).
    expect(checkBatchId(`${'a'.repeat(5000)}!`, evil, false, now)).toEqual([expect.stringContaining('does not match')]);
    expect(evil.test('a'.repeat(5000))).toBe(true);
  });

  it('refuses what RE2 cannot run in linear time, such as a backreference', () => {
    expect(compileBatchIdPattern('(a)\\1')).toEqual(expect.any(String));
  });

  it('reports an invalid pattern as the parser message', () => {
    expect(typeof compileBatchIdPattern('batch_(')).toBe('string');
  });

  it('parses the moment as UTC', () => {
    expect((parseBatchMoment('batch_20241101_120304') as Date).toISOString()).toBe('2024-11-01T12:03:04.000Z');
  });
});
