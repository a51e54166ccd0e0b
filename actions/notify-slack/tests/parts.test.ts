// Unit tests of the pure parts: template filling, mentions, proxy settings, statuses, block limits.
import { describe, expect, it } from '@jest/globals';
import { flatten } from '../src/compose.js';
import { applyLimits, LIMITS } from '../src/limits.js';
import { parseJsonUserMap, resolveMentions } from '../src/mentions.js';
import { TRUNCATED } from '../src/mrkdwn.js';
import { proxySettings } from '../src/proxy.js';
import { isFailure, parseStatus, shouldMention, STATUSES } from '../src/status.js';
import { applyTemplate } from '../src/template.js';

describe('applyTemplate', () => {
  const vars = { status: 'failure', text: 'a &amp; b', mention: '<!here>', empty: undefined };

  it('fills strings only, once: a value holding ${{ }} is not filled again', () => {
    const { value, problems } = applyTemplate(
      { text: '${{status}}: ${{ text }}', n: 3, list: ['${{ mention }}'], '${{ status }}': 'key kept' },
      { ...vars, text: '${{ status }} }}' },
    );
    expect(problems).toEqual([]);
    expect(value).toEqual({ text: 'failure: ${{ status }} }}', n: 3, list: ['<!here>'], '${{ status }}': 'key kept' });
  });

  it('names unknown variables, expressions and variables without a value', () => {
    const { problems } = applyTemplate({ a: '${{ nope }}', b: "${{ format('{0}', x) }}", c: '${{ empty }}' }, vars);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^uses an unknown variable 'nope': expected one of status, status_emoji/);
    expect(problems[1]).toMatch(/^has an expression '\$\{\{ format\('\{0\}', x\) \}\}' that is not a variable/);
    expect(problems[2]).toBe("uses 'empty' but the status input is empty");
  });
});

describe('mentions', () => {
  const map = new Map([
    ['oncall-data', 'S0DATAENG1'],
    ['octocat', 'U0OCTOCAT1'],
  ]);
  it('resolves each form and keeps unresolved ones out', () => {
    expect(resolveMentions('@here, @Channel S0ABCDEF1 U0ABCDEF1 @OctoCat @oncall-data <!subteam^S1|x> @ghost here', map)).toEqual({
      mention: '<!here> <!channel> <!subteam^S0ABCDEF1> <@U0ABCDEF1> <@U0OCTOCAT1> <!subteam^S0DATAENG1> <!subteam^S1|x>',
      unresolved: ['@ghost', 'here'],
    });
  });
  it('reads a JSON map and names bad entries', () => {
    const { map: read, problems } = parseJsonUserMap('{"OctoCat": "U0OCTOCAT1", "bad login!": "U0X1234567", "x": "not-an-id"}');
    expect([...read]).toEqual([['octocat', 'U0OCTOCAT1']]);
    expect(problems).toHaveLength(2);
  });
});

describe('proxySettings', () => {
  it('prefers the input, falls back to HTTPS_PROXY then HTTP_PROXY, and carries NO_PROXY', () => {
    expect(proxySettings('http://p:1', { HTTPS_PROXY: 'http://q:2', NO_PROXY: 'a' })).toEqual({
      httpProxy: 'http://p:1',
      httpsProxy: 'http://p:1',
      noProxy: 'a',
      source: 'input',
    });
    expect(proxySettings('', { https_proxy: 'http://q:2' })).toMatchObject({ httpProxy: '', httpsProxy: 'http://q:2' });
    expect(proxySettings('', { HTTP_PROXY: 'http://r:3' })).toMatchObject({ httpProxy: 'http://r:3', httpsProxy: 'http://r:3' });
    expect(proxySettings('', {})).toBeUndefined();
  });
});

describe('statuses', () => {
  it('accepts every value GitHub gives, with aliases', () => {
    const github = ['success', 'failure', 'cancelled', 'skipped', 'timed_out', 'neutral', 'action_required', 'stale', 'startup_failure'];
    for (const value of github) expect(parseStatus(value.toUpperCase())).toBe(value);
    expect(['in_progress', 'requested', 'waiting', 'pending', 'canceled', 'error'].map(parseStatus)).toEqual([
      'running',
      'queued',
      'queued',
      'queued',
      'cancelled',
      'failure',
    ]);
    expect(STATUSES.filter(isFailure)).toEqual(['failure', 'timed_out', 'startup_failure']);
  });
  it('lets failure in mention-on cover every failure-like conclusion', () => {
    expect(shouldMention('timed_out', ['failure'])).toBe(true);
    expect(shouldMention('timed_out', ['cancelled'])).toBe(false);
    expect(shouldMention('stale', ['failure'])).toBe(false);
  });
});

describe('flatten (Workflow Builder variables)', () => {
  it('joins nested keys with _ and makes every value text', () => {
    expect(flatten({ a: { b: 1, c: [true, null] }, d: 'x' })).toEqual({ a_b: '1', a_c_0: 'true', a_c_1: '', d: 'x' });
  });
});

describe('applyLimits, every block type', () => {
  it('shares the 12,000-character markdown budget across markdown blocks', () => {
    const { payload, notes } = applyLimits({
      blocks: [
        { type: 'markdown', text: 'a'.repeat(12_000) },
        { type: 'markdown', text: 'b'.repeat(10) },
      ],
    });
    expect(payload.blocks).toEqual([{ type: 'markdown', text: 'a'.repeat(12_000) }]);
    expect(notes).toEqual(['a markdown block left out: all markdown blocks together are limited to 12000 characters']);
    const cut = applyLimits({
      blocks: [
        { type: 'markdown', text: 'a'.repeat(11_000) },
        { type: 'markdown', text: 'b'.repeat(5000) },
      ],
    });
    expect((cut.payload.blocks as { text: string }[])[1].text).toBe(`${'b'.repeat(1000 - TRUNCATED.length)}${TRUNCATED}`);
  });
  it('cuts rich_text in reading order and drops what follows', () => {
    const block = {
      type: 'rich_text',
      elements: [
        {
          type: 'rich_text_section',
          elements: [
            { type: 'text', text: 'x'.repeat(LIMITS.richText - 20) },
            { type: 'text', text: 'y'.repeat(50) },
          ],
        },
        { type: 'rich_text_quote', elements: [{ type: 'text', text: 'gone' }] },
      ],
    };
    const out = applyLimits({ blocks: [block] }).payload.blocks as { elements: { elements: { text: string }[] }[] }[];
    expect(out[0].elements).toHaveLength(1);
    const texts = out[0].elements[0].elements.map((e) => e.text);
    expect(texts.join('').length).toBeLessThanOrEqual(LIMITS.richText);
    expect(texts[1].endsWith(TRUNCATED)).toBe(true);
  });
  it('replaces a context image with a too-long URL and cuts alt text', () => {
    const context = {
      type: 'context',
      elements: [
        { type: 'image', image_url: `https://x/${'u'.repeat(3000)}`, alt_text: 'a' },
        { type: 'image', image_url: 'https://x/y.png', alt_text: 'b'.repeat(2100) },
      ],
    };
    const out = applyLimits({ blocks: [context] }).payload.blocks as { elements: Record<string, string>[] }[];
    expect(out[0].elements[0]).toEqual({ type: 'mrkdwn', text: `${TRUNCATED} image not shown` });
    expect(out[0].elements[1].alt_text).toHaveLength(2000);
  });
});
