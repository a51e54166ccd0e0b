import { describe, expect, test } from '@jest/globals';
import { checkContracts } from '../contract-check.js';
import { sampleContracts, workflow } from './helpers.js';

const rules = (text: string) => checkContracts(workflow(text), sampleContracts()).map((finding) => finding.rule);

const GOOD = `
on: workflow_dispatch
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      version: \${{ steps.publish.outputs.version }}
    steps:
      - id: publish
        uses: your-org/pipeline-actions/actions/promote-artifact@v1
        with: {mode: publish, service: api}
  deploy:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - id: tunnel
        uses: acme/pipeline-actions/actions/ssh-tunnel@0123456789012345678901234567890123456789
        with: {host: bastion, user: deploy, private-key: '\${{ secrets.KEY }}'}
      - run: ./deploy.sh
        env:
          VERSION: \${{ needs.build.outputs.version }}
          PORT: \${{ steps.tunnel.outputs.local-port }}
`;

describe('checkContracts', () => {
  test('accepts uses that match the contracts, whatever the owner and ref', () => {
    expect(checkContracts(workflow(GOOD), sampleContracts())).toEqual([]);
  });

  test('catches a with: key that is not a declared input', () => {
    const findings = checkContracts(workflow(GOOD.replace('service: api', 'service: api, servce: typo')), sampleContracts());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'unknown-input', line: 9 });
    expect(findings[0].message).toContain('"servce" is not an input of promote-artifact');
  });

  test('catches a required input that is not given (and not one that has a default)', () => {
    const findings = checkContracts(workflow(GOOD.replace(', private-key: ', ', key: ')), sampleContracts());
    expect(findings.map((finding) => finding.rule).sort()).toEqual(['missing-input', 'unknown-input']);
    expect(findings.find((finding) => finding.rule === 'missing-input')?.message).toContain('required input "private-key" of ssh-tunnel');
  });

  test('catches steps.<id>.outputs.<name> naming an output the action does not declare', () => {
    const findings = checkContracts(
      workflow(GOOD.replace('steps.tunnel.outputs.local-port', 'steps.tunnel.outputs.port')),
      sampleContracts(),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0].rule).toBe('unknown-output');
    expect(findings[0].message).toContain('"port" is not an output of ssh-tunnel');
  });

  test('follows needs.<job>.outputs.<name> through the job outputs back to the step', () => {
    const text = GOOD.replace('version: ${{ steps.publish.outputs.version }}', 'version: ${{ steps.publish.outputs.digest }}');
    const findings = checkContracts(workflow(text), sampleContracts());
    expect(findings.every((finding) => finding.rule === 'unknown-output')).toBe(true);
    expect(findings.map((finding) => finding.message)).toContainEqual(
      expect.stringContaining('needs.build.outputs.version -> steps.publish.outputs.digest: "digest" is not an output of promote-artifact'),
    );
  });

  test('catches needs.<job>.outputs.<name> that the job does not declare', () => {
    expect(rules(GOOD.replace('needs.build.outputs.version', 'needs.build.outputs.tag'))).toEqual(['unknown-job-output']);
  });

  test('catches an output reference to a step id that does not exist', () => {
    expect(rules(GOOD.replace('steps.tunnel.outputs.local-port', 'steps.tunel.outputs.local-port'))).toEqual(['unknown-step']);
  });

  test('checks references in if: conditions written without ${{ }}', () => {
    const text = GOOD.replace('      - run: ./deploy.sh\n', "      - run: ./deploy.sh\n        if: steps.tunnel.outputs.pid != ''\n");
    expect(rules(text)).toEqual(['unknown-output']);
  });

  test('fails loudly, once per action, when an action has no action.yml', () => {
    const text = `${GOOD}      - if: always()\n        uses: your-org/pipeline-actions/actions/notify-slack@v1\n        with: {status: '\${{ job.status }}'}\n`;
    const findings = checkContracts(workflow(text), sampleContracts());
    expect(findings).toHaveLength(1);
    expect(findings[0].rule).toBe('contract-missing');
    expect(findings[0].message).toContain('actions/notify-slack/action.yml does not exist');
  });

  test('leaves third-party and run-step outputs alone', () => {
    const text = `
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - id: x
        run: echo "anything=1" >> "$GITHUB_OUTPUT"
      - id: y
        uses: actions/cache@0123456789012345678901234567890123456789
      - run: echo
        env: {A: '\${{ steps.x.outputs.anything }}', B: '\${{ steps.y.outputs.cache-hit }}'}
`;
    expect(rules(text)).toEqual([]);
  });
});
