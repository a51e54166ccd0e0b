import { describe, expect, test } from '@jest/globals';
import { findOurReferences, findRequirements, pinWorkflowText } from '../pin.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const TEXT = `jobs:
  a:
    environment: \${{ inputs.environment }}
    steps:
      - uses: your-org/pipeline-actions/actions/ssh-tunnel@v1
        with:
          private-key: \${{ secrets.KEY }}
          environment: not-a-job-environment
      - id: x
        uses: "your-org/pipeline-actions/actions/notify-slack@v1" # old comment
        with: {webhook-url: '\${{ secrets.SLACK }}', token: '\${{ secrets.GITHUB_TOKEN }}', text: '\${{ vars.TEAM }}'}
      - uses: actions/checkout@${SHA} # v5.0.0
  b:
    environment:
      name: production
    steps:
      - run: echo
`;

describe('pinWorkflowText', () => {
  test('rewrites only our references, replacing quotes and old comments', () => {
    const { text, count } = pinWorkflowText(TEXT, { owner: 'acme', sha: SHA, label: 'v1.4.0' });
    expect(count).toBe(2);
    expect(text).toContain(`      - uses: acme/pipeline-actions/actions/ssh-tunnel@${SHA} # v1.4.0\n`);
    expect(text).toContain(`        uses: acme/pipeline-actions/actions/notify-slack@${SHA} # v1.4.0\n`);
    expect(text).toContain(`actions/checkout@${SHA} # v5.0.0`);
    expect(text.split('\n')).toHaveLength(TEXT.split('\n').length);
  });
});

describe('findRequirements', () => {
  test('lists secrets (not GITHUB_TOKEN), variables and job environments', () => {
    expect(findRequirements(TEXT)).toEqual({
      secrets: ['KEY', 'SLACK'],
      variables: ['TEAM'],
      environments: ['${{ inputs.environment }} (decided per run: create one for each value)', 'production'],
    });
  });
});

describe('findOurReferences', () => {
  test('finds each reference with its line, owner, ref and comment', () => {
    expect(findOurReferences(TEXT)).toEqual([
      { line: 5, owner: 'your-org', action: 'ssh-tunnel', ref: 'v1', comment: undefined },
      { line: 10, owner: 'your-org', action: 'notify-slack', ref: 'v1', comment: 'old comment' },
    ]);
  });
});
