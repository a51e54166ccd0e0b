import { describe, expect, test } from '@jest/globals';
import {
  lintJobLimits,
  lintNotifyAlways,
  lintPinning,
  lintRunExpressions,
  lintSecretPlacement,
  lintTunnelConsumer,
  lintWorkflow,
} from '../lint.js';
import { workflow } from './helpers.js';

const SHA = '08c6903cd8c0fde910a37f88322edcfb5dd907a8';

const CLEAN = `
on: push
permissions: {}
jobs:
  load:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@${SHA} # v5.0.0
      - id: tunnel
        uses: your-org/pipeline-actions/actions/ssh-tunnel@v1
        with:
          host: bastion
          private-key: \${{ secrets.KEY }}
      - name: Load
        env:
          PORT: \${{ steps.tunnel.outputs.local-port }}
          PASSWORD: \${{ secrets.DB_PASSWORD }}
        run: ./load.sh --port "$PORT"
      - uses: ./local-action
      - uses: docker://alpine@sha256:${'a'.repeat(64)}
`;

describe('lint rules', () => {
  test('a clean workflow has no findings', () => {
    expect(lintWorkflow(workflow(CLEAN))).toEqual([]);
  });

  test('catches ${{ }} inside run:', () => {
    const findings = lintRunExpressions(workflow(CLEAN.replace('--port "$PORT"', '--port ${{ steps.tunnel.outputs.local-port }}')));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'run-expression', line: 17 });
  });

  test('catches a third-party action on a tag or branch instead of a full SHA', () => {
    const findings = lintPinning(workflow(CLEAN.replace(`@${SHA} # v5.0.0`, '@v5')));
    expect(findings).toHaveLength(1);
    expect(findings[0].rule).toBe('unpinned-action');
    expect(findings[0].message).toContain('actions/checkout@v5 is not pinned');
  });

  test('catches a short SHA', () => {
    expect(lintPinning(workflow(CLEAN.replace(`@${SHA}`, '@08c6903'))).map((finding) => finding.rule)).toEqual(['unpinned-action']);
  });

  test('catches a SHA pin without the # vX.Y.Z comment', () => {
    expect(lintPinning(workflow(CLEAN.replace(' # v5.0.0', ''))).map((finding) => finding.rule)).toEqual(['pin-comment']);
  });

  test('catches a docker image without a digest and an unpinned reusable workflow', () => {
    const text = `${CLEAN.replace(/docker:\/\/alpine@sha256:a+/, 'docker://alpine:3')}  reuse:
    uses: acme/workflows/.github/workflows/x.yml@main
    permissions: {}
`;
    expect(lintPinning(workflow(text)).map((finding) => finding.rule)).toEqual(['unpinned-action', 'unpinned-action']);
  });

  test('catches a job without permissions: and a job without timeout-minutes', () => {
    const text = CLEAN.replace('    timeout-minutes: 10\n', '').replace('    permissions:\n      contents: read\n', '');
    expect(lintJobLimits(workflow(text)).map((finding) => finding.rule)).toEqual(['job-permissions', 'job-timeout']);
  });

  test('does not ask a reusable-workflow job for timeout-minutes', () => {
    const text = `on: push\njobs:\n  call:\n    uses: ./.github/workflows/x.yml\n    permissions: {}\n`;
    expect(lintJobLimits(workflow(text))).toEqual([]);
  });

  test('catches ssh-tunnel as the last step of its job', () => {
    const text = `
on: push
jobs:
  tunnel:
    runs-on: ubuntu-latest
    steps:
      - uses: your-org/pipeline-actions/actions/ssh-tunnel@v1
  use:
    needs: tunnel
    runs-on: ubuntu-latest
    steps:
      - run: psql -h 127.0.0.1
`;
    const findings = lintTunnelConsumer(workflow(text));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'ssh-tunnel-unused', line: 7 });
  });

  test('catches a secret outside with:/env:', () => {
    const text = CLEAN.replace('      - name: Load\n', "      - name: Load\n        if: secrets.DB_PASSWORD != ''\n");
    const findings = lintSecretPlacement(workflow(text));
    expect(findings).toHaveLength(1);
    expect(findings[0].rule).toBe('secret-placement');
  });

  test('reference rule: notify-slack must run always and report the job or needs result', () => {
    const good = `
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - if: always()
        uses: your-org/pipeline-actions/actions/notify-slack@v1
        with: {status: '\${{ job.status }}'}
`;
    expect(lintNotifyAlways(workflow(good))).toEqual([]);
    const bad = good.replace('      - if: always()\n', '      - if: failure()\n').replace('${{ job.status }}', 'failure');
    expect(lintNotifyAlways(workflow(bad)).map((finding) => finding.rule)).toEqual(['notify-always', 'notify-status']);
  });
});
