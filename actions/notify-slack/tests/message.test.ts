import { describe, expect, it } from '@jest/globals';
import { applyLimits, LIMITS, validatePayload } from '../src/limits.js';
import { buildMessage, defaultTitle, type MessageSpec } from '../src/message.js';
import { escapeMrkdwn, firstLine, truncate, TRUNCATED } from '../src/mrkdwn.js';
import { readRunInfo, type RunInfo } from '../src/run-info.js';
import { parseStatus, shouldMention } from '../src/status.js';

const info: RunInfo = {
  serverUrl: 'https://github.com',
  repository: 'octo/pipe',
  ref: 'main',
  sha: 'abcdef0123456789',
  actor: 'octocat',
  triggeringActor: 'octocat',
  workflow: 'REDCap Pipeline',
  runId: '42',
  runNumber: '9',
  runAttempt: 1,
  commitTitle: 'Fix things',
};
const spec = (over: Partial<MessageSpec> = {}): MessageSpec => ({
  status: 'success',
  title: '',
  text: '',
  fields: [],
  mention: '',
  ...over,
});
type Built = {
  text: string;
  blocks: { type: string; text?: { text: string }; fields?: { text: string }[] }[];
  attachments: { color: string; blocks: { elements: { text: string }[] }[] }[];
};
const build = (s: MessageSpec, i: RunInfo = info) => buildMessage(s, i) as unknown as Built;

describe('escapeMrkdwn and truncate', () => {
  it('escapes &, < and > and nothing else', () => {
    expect(escapeMrkdwn(`a & b <!here> "q" 'x' *y*`)).toBe(`a &amp; b &lt;!here&gt; "q" 'x' *y*`);
  });

  it('cuts to the limit with a visible marker', () => {
    const cut = truncate('a'.repeat(100), 50);
    expect(cut).toHaveLength(50);
    expect(cut.endsWith(TRUNCATED)).toBe(true);
    expect(truncate('short', 50)).toBe('short');
  });

  it('never splits an emoji, an entity or a link', () => {
    const emoji = truncate(`${'a'.repeat(37)}😀😀😀😀😀😀😀😀`, 50);
    expect(emoji).toBe(`${'a'.repeat(37)}${TRUNCATED}`);
    expect(truncate(`${'a'.repeat(36)}&amp;bbbbbbbbbbbbbbb`, 50)).toBe(`${'a'.repeat(36)}${TRUNCATED}`);
    expect(truncate(`${'a'.repeat(30)}<https://example.com/x|link> tail`, 50)).toBe(`${'a'.repeat(30)}${TRUNCATED}`);
  });

  it('takes the first non-empty line', () => {
    expect(firstLine('\n  Subject line  \nbody')).toBe('Subject line');
  });
});

describe('status', () => {
  it('accepts job.status / needs.<id>.result values and common spellings', () => {
    expect(['success', 'Failure', 'CANCELLED', 'canceled', 'skipped', 'in_progress', 'failed'].map(parseStatus)).toEqual([
      'success',
      'failure',
      'cancelled',
      'cancelled',
      'skipped',
      'running',
      'failure',
    ]);
    expect(parseStatus('done')).toBeUndefined();
  });

  it('mentions per mention-on', () => {
    expect(shouldMention('failure', ['failure'])).toBe(true);
    expect(shouldMention('success', ['failure'])).toBe(false);
    expect(shouldMention('success', 'always')).toBe(true);
    expect(shouldMention('failure', 'never')).toBe(false);
  });
});

describe('buildMessage', () => {
  it('defaults the title to the workflow and the status word', () => {
    expect(defaultTitle('success', 'REDCap Pipeline')).toBe('REDCap Pipeline Completed Successfully');
    expect(build(spec()).blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '✅ REDCap Pipeline Completed Successfully', emoji: true },
    });
  });

  it('keeps the header on one line', () => {
    expect(build(spec({ title: 'Line one\n  line two' })).blocks[0].text?.text).toBe('✅ Line one line two');
  });

  it('escapes every value but keeps the mention as a control sequence', () => {
    const msg = build(
      spec({
        status: 'failure',
        title: 'A <b> & c',
        text: 'x <!channel> & y',
        mention: '<!channel>',
        fields: [{ label: 'Env <1>', value: 'q&a' }],
      }),
    );
    expect(msg.blocks[0].text?.text).toBe('❌ A &lt;b&gt; &amp; c');
    expect(msg.blocks[1].text?.text).toBe('<!channel> x &lt;!channel&gt; &amp; y');
    expect(msg.blocks[2].fields).toEqual([{ type: 'mrkdwn', text: '*Env &lt;1&gt;*\nq&amp;a' }]);
    expect(msg.text.startsWith('<!channel> ❌ A &lt;b&gt; &amp; c\nx &lt;!channel&gt; &amp; y\nEnv &lt;1&gt;: q&amp;a')).toBe(true);
    expect(msg.attachments[0].color).toBe('#E01E5A');
  });

  it('puts the run context in the colour bar, with the run link and commit title', () => {
    const elements = build(spec(), { ...info, commitTitle: 'Fix <x> & y', runAttempt: 2 }).attachments[0].blocks[0].elements.map(
      (e) => e.text,
    );
    expect(elements).toEqual([
      '✅ *success*',
      '<https://github.com/octo/pipe|octo/pipe>',
      '`main`',
      '<https://github.com/octo/pipe/commit/abcdef0123456789|abcdef0>',
      'Fix &lt;x&gt; &amp; y',
      'REDCap Pipeline',
      'by octocat',
      '<https://github.com/octo/pipe/actions/runs/42|#9 (attempt 2)>',
    ]);
  });

  it('splits fields into sections of 10 and shows an empty value as a dash', () => {
    const fields = Array.from({ length: 23 }, (_, i) => ({ label: `F${i}`, value: i === 0 ? '' : 'v' }));
    const sections = build(spec({ fields })).blocks.filter((b) => b.fields);
    expect(sections.map((s) => s.fields!.length)).toEqual([10, 10, 3]);
    expect(sections[0].fields![0].text).toBe('*F0*\n—');
  });

  it('keeps the section text within 3000 characters after escaping, mention included', () => {
    const msg = build(spec({ text: '&'.repeat(5000), mention: '<!here>' }));
    const text = msg.blocks[1].text!.text;
    expect(text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(text).toMatch(/^<!here> (&amp;)+…\(truncated\)$/);
  });
});

describe('readRunInfo', () => {
  it('reads the commit title from push, pull_request and workflow_run events', () => {
    const env = { GITHUB_REF: 'refs/heads/dev', GITHUB_SERVER_URL: 'https://ghe.example.com/' };
    expect(readRunInfo(env, { head_commit: { message: 'Push title\n\nbody' } })).toMatchObject({
      commitTitle: 'Push title',
      ref: 'dev',
      serverUrl: 'https://ghe.example.com',
    });
    expect(readRunInfo(env, { pull_request: { title: 'PR title' } }).commitTitle).toBe('PR title');
    expect(readRunInfo(env, { workflow_run: { head_commit: { message: 'WR title' } } }).commitTitle).toBe('WR title');
    expect(readRunInfo(env, {}).commitTitle).toBe('');
  });
});

describe('applyLimits and validatePayload', () => {
  it('splits a custom section with 25 fields and caps 60 blocks at 50', () => {
    const field = { type: 'mrkdwn', text: 'f' };
    const section = { type: 'section', fields: Array(25).fill(field) };
    const blocks = [section, ...Array.from({ length: 60 }, () => ({ type: 'divider' }))];
    const { payload, notes } = applyLimits({ text: 'x', blocks });
    const out = payload.blocks as { type: string; fields?: unknown[]; elements?: { text: string }[] }[];
    expect(out.slice(0, 3).map((b) => b.fields?.length)).toEqual([10, 10, 5]);
    expect(out).toHaveLength(50);
    expect(out[49].elements?.[0].text).toBe(`${TRUNCATED} 14 more blocks not shown`);
    expect(notes.length).toBeGreaterThan(0);
    expect(section.fields).toHaveLength(25); // the input is not changed
  });

  it('cuts the fallback text to 40,000 and header text inside attachments', () => {
    const { payload } = applyLimits({
      text: 'y'.repeat(50_000),
      attachments: [{ blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(200) } }] }],
    });
    expect((payload.text as string).length).toBe(LIMITS.text);
    const header = (payload.attachments as { blocks: { text: { text: string } }[] }[])[0].blocks[0].text.text;
    expect(header).toHaveLength(150);
  });

  it('names what makes a payload unusable', () => {
    expect(validatePayload({ text: 'ok' })).toEqual([]);
    expect(validatePayload({})).toEqual(["it has no 'text', 'blocks' or 'attachments'"]);
    expect(validatePayload({ text: 'x', blocks: 'no' })).toEqual(["'blocks' must be a list of blocks"]);
    expect(validatePayload({ attachments: [{ blocks: [{}] }] })).toEqual(["'attachments[0].blocks[0]' must be a block with a 'type'"]);
  });
});
