import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEvent, readRunContext, runUrl, shortSha } from '../src/context.js';
import { cell, markdownTable } from '../src/summary.js';

describe('run context', () => {
  it('builds the run URL from GITHUB_SERVER_URL (Enterprise Server too), with the attempt after the first', () => {
    const ctx = readRunContext({
      GITHUB_SERVER_URL: 'https://ghe.example.com/',
      GITHUB_REPOSITORY: 'org/repo',
      GITHUB_RUN_ID: '42',
      GITHUB_RUN_ATTEMPT: '2',
    });
    expect(ctx.owner).toBe('org');
    expect(runUrl(ctx)).toBe('https://ghe.example.com/org/repo/actions/runs/42/attempts/2');
    expect(runUrl({ ...ctx, runAttempt: 1 })).toBe('https://ghe.example.com/org/repo/actions/runs/42');
  });

  it('defaults to github.com', () => {
    expect(readRunContext({}).serverUrl).toBe('https://github.com');
  });

  it('shortens a sha to 7 characters', () => {
    expect(shortSha('84fb588e0c1d2b3a')).toBe('84fb588');
  });

  it('reads the event payload, and {} when it is missing or unreadable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'event-'));
    writeFileSync(join(dir, 'e.json'), '{"action":"opened"}');
    writeFileSync(join(dir, 'bad.json'), 'not json');
    expect(readEvent({ GITHUB_EVENT_PATH: join(dir, 'e.json') })).toEqual({ action: 'opened' });
    expect(readEvent({ GITHUB_EVENT_PATH: join(dir, 'bad.json') })).toEqual({});
    expect(readEvent({})).toEqual({});
  });
});

describe('summary', () => {
  it('escapes pipes and newlines in table cells', () => {
    expect(cell('a|b\nc')).toBe('a\\|b<br>c');
    expect(markdownTable(['Table', 'Fragments'], [['visits', 3]])).toBe('| Table | Fragments |\n| --- | --- |\n| visits | 3 |');
  });
});
