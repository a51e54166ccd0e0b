// The demo's pure helpers: Slack rendering, runner paths, batch ids, and the Python search it relies on.
import { describe, expect, it } from '@jest/globals';
import { findPythonWithMoto } from '../../../packages/testing/src/s3-server.js';
import { mrkdwn, renderSlackMessage } from '../render-slack.js';
import { sampleBatchId } from '../seed.js';
import { runnerPaths } from '../steps.js';

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

describe('runnerPaths', () => {
  it('shows runner directories as $GITHUB_WORKSPACE and $RUNNER_TEMP', () => {
    expect(runnerPaths('/tmp/r-1/workspace/artifact and /tmp/r-1/temp/summary.md', '/tmp/r-1')).toBe(
      '$GITHUB_WORKSPACE/artifact and $RUNNER_TEMP/summary.md',
    );
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
