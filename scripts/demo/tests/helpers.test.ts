// The demo's pure helpers: Slack rendering, runner paths, batch ids, and the Python search it relies on.
import { describe, expect, it } from '@jest/globals';
import { findPythonWithMoto } from '../../../packages/testing/src/s3-server.js';
import { mrkdwn, renderSlackMessage } from '../render-slack.js';
import { sampleBatchId, sampleFragments, SAMPLE_TABLES } from '../repos.js';
import { showRun } from '../show.js';
import { Transcript } from '../transcript.js';

describe('renderSlackMessage', () => {
  it('renders header, fields as Label: value, and context with links as label (url)', () => {
    const text = renderSlackMessage({
      text: 'fallback',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '✅ Load done' } },
        { type: 'section', fields: [{ type: 'mrkdwn', text: '*Batch ID*\nbatch_20261124_020000' }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '<https://github.com/o/r/actions/runs/1|#7> by octocat' }] },
      ],
    });
    expect(text.split('\n')).toEqual([
      '✅ LOAD DONE',
      '  Batch ID: batch_20261124_020000',
      '#7 (https://github.com/o/r/actions/runs/1) by octocat',
    ]);
  });

  it('falls back to the text when there are no blocks', () => {
    expect(renderSlackMessage({ text: 'a &amp; b &lt;c&gt;' })).toBe('a & b <c>');
  });

  it('turns mentions and escapes back into what Slack shows', () => {
    expect(mrkdwn('<!channel> Pipeline needs attention: 1 &lt; 2 &amp;&amp; <@U123>')).toBe(
      '@channel Pipeline needs attention: 1 < 2 && @U123',
    );
  });
});

describe('sampleFragments', () => {
  it('writes id,value lines per CSV part under validated/<batch>/<table>/, as the stand-in loader reads them', () => {
    const fragments = sampleFragments('batch_20261124_233015');
    expect(fragments).toHaveLength(SAMPLE_TABLES.reduce((n, t) => n + t.fragments, 0));
    expect(fragments[0].key).toBe('validated/batch_20261124_233015/patients/part-00001.csv');
    expect(fragments[0].body.split('\n')[0]).toBe('1,patients row 1 of part 1');
    const ids = fragments
      .filter((f) => f.key.includes('/patients/'))
      .flatMap((f) =>
        f.body
          .trim()
          .split('\n')
          .map((l) => l.split(',')[0]),
      );
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('showRun', () => {
  it("hides a step's own output lines unless verbose, and keeps annotations, summaries and outputs", () => {
    const transcript = [
      '● Job [job]',
      '  ▶ step',
      '      raw output line',
      '      ##[error]broken',
      '      summary:',
      '      │ ### done',
      '      outputs: a=1',
      '  ✗ step: failure (0.1 s)',
    ];
    const run = { transcript } as Parameters<typeof showRun>[2];
    const quiet = new Transcript();
    showRun(quiet, { title: 't', subtitle: 's' }, run, false);
    expect(quiet.text()).not.toContain('raw output line');
    expect(quiet.text()).toContain('##[error]broken');
    expect(quiet.text()).toContain('│ ### done');
    const verbose = new Transcript();
    showRun(verbose, { title: 't', subtitle: 's' }, run, true);
    expect(verbose.text()).toContain('raw output line');
  });
});

describe('sampleBatchId', () => {
  it('is batch_YYYYMMDD_HHMMSS for an hour before now, in UTC', () => {
    expect(sampleBatchId(new Date('2026-11-25T00:30:15Z'))).toBe('batch_20261124_233015');
  });
});

describe('findPythonWithMoto', () => {
  it('tries only PYTHON when it is set', () => {
    const search = findPythonWithMoto({ PYTHON: '/nonexistent/python3', PATH: '/usr/bin' });
    expect(search).toEqual({ tried: ['/nonexistent/python3'] });
  });
});
