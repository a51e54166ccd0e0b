import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintNumberDefault, lintPrivilegedUserCode, lintPwnRequest } from '../audit.js';
import { workflow } from './helpers.js';

const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1';

const ROUTE = `
  route:
    runs-on: ubuntu-latest
    permissions: {pull-requests: read}
    outputs:
      sha: \${{ steps.route.outputs.sha }}
    steps:
      - id: route
        uses: your-org/pipeline-actions/actions/determine-environment@v1
        with:
          commands: plan`;

function commentWorkflow(jobs: string): string {
  return `on:\n  issue_comment:\n    types: [created]\npermissions: {}\njobs:${jobs}\n`;
}

describe('pwn-request', () => {
  test('flags a comment job that checks out the pull request head with no check before it (the old pr-dashboard)', () => {
    const findings = lintPwnRequest(
      workflow(
        commentWorkflow(`
  plan:
    runs-on: ubuntu-latest
    permissions: {contents: read}
    steps:
      - uses: ${CHECKOUT}
        with:
          ref: refs/pull/\${{ github.event.issue.number }}/head
      - run: make plan`),
      ),
    );
    expect(findings.map((f) => f.rule)).toEqual(['pwn-request']);
    expect(findings[0].message).toMatch(/no job before it checked .* determine-environment, forks: refuse/);
  });

  test('accepts the checkout of the SHA a guarding job resolved', () => {
    const text = commentWorkflow(`${ROUTE}
  plan:
    needs: route
    runs-on: ubuntu-latest
    permissions: {contents: read}
    steps:
      - uses: ${CHECKOUT}
        with:
          ref: \${{ needs.route.outputs.sha }}
      - run: make plan`);
    expect(lintPwnRequest(workflow(text))).toEqual([]);
  });

  test('a guard that allows forks or read permission is no guard', () => {
    const text = commentWorkflow(`${ROUTE.replace('commands: plan', 'commands: plan\n          forks: allow')}
  plan:
    needs: route
    runs-on: ubuntu-latest
    permissions: {contents: read}
    steps:
      - uses: ${CHECKOUT}
        with:
          ref: \${{ needs.route.outputs.sha }}`);
    expect(lintPwnRequest(workflow(text)).map((f) => f.rule)).toEqual(['pwn-request']);
  });

  test('flags a guarded job that checks out a ref the guard did not resolve', () => {
    const text = commentWorkflow(`${ROUTE}
  plan:
    needs: route
    runs-on: ubuntu-latest
    permissions: {contents: read}
    steps:
      - uses: ${CHECKOUT}
        with:
          ref: refs/pull/\${{ github.event.issue.number }}/head`);
    expect(lintPwnRequest(workflow(text))[0].message).toMatch(/not the SHA the checking job resolved: check out needs\.route\.outputs/);
  });

  test('flags a ref built around a guard output (the old pr-dashboard: refs/pull/<pr-number>/head)', () => {
    const text = commentWorkflow(`${ROUTE}
  apply:
    needs: route
    runs-on: ubuntu-latest
    permissions: {contents: read}
    steps:
      - uses: ${CHECKOUT}
        with:
          ref: refs/pull/\${{ needs.route.outputs.pr-number }}/head`);
    expect(lintPwnRequest(workflow(text)).map((f) => f.rule)).toEqual(['pwn-request']);
  });

  test('pull_request and push workflows and checkouts of the default ref are not pwn requests', () => {
    const checkout = `
  ci:
    runs-on: ubuntu-latest
    permissions: {contents: read}
    steps:
      - uses: ${CHECKOUT}
        with:
          ref: \${{ github.event.pull_request.head.sha }}`;
    expect(lintPwnRequest(workflow(`on: pull_request\njobs:${checkout}\n`))).toEqual([]);
    expect(lintPwnRequest(workflow(commentWorkflow(checkout.replace(/\n\s+with:\n.*$/s, ''))))).toEqual([]);
    expect(lintPwnRequest(workflow(`on: pull_request_target\njobs:${checkout}\n`)).map((f) => f.rule)).toEqual(['pwn-request']);
  });
});

describe('privileged-user-code', () => {
  const job = (permissions: string, extra = '') => `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    permissions: ${permissions}${extra}
    steps:
      - uses: ${CHECKOUT}
      - run: make build
        env:
          TOKEN: \${{ secrets.DEPLOY_TOKEN }}
`;

  test('flags make build next to contents: write and id-token: write and a production secret (the old ci-deploy-dev)', () => {
    const findings = lintPrivilegedUserCode(workflow(job('{contents: write, id-token: write}')));
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('holds contents: write, id-token: write, secrets.DEPLOY_TOKEN');
  });

  test('write-all counts as a write token', () => {
    expect(lintPrivilegedUserCode(workflow(job('write-all'))).map((f) => f.rule)).toEqual(['privileged-user-code']);
  });

  test('a deploy job (one with an environment) may hold them', () => {
    expect(lintPrivilegedUserCode(workflow(job('{contents: read, id-token: write}', '\n    environment: production')))).toEqual([]);
  });

  test('a read-only job, or a job that runs only actions, is fine', () => {
    expect(lintPrivilegedUserCode(workflow(job('{contents: read}').replace('DEPLOY_TOKEN', 'NPM_TOKEN')))).toEqual([]);
    const actionsOnly = `on: push
jobs:
  tag:
    runs-on: ubuntu-latest
    permissions: {contents: write, deployments: write}
    steps:
      - uses: your-org/pipeline-actions/actions/promote-artifact@v1
        with: {mode: mark}
      - run: echo done >> "$GITHUB_STEP_SUMMARY"
`;
    expect(lintPrivilegedUserCode(workflow(actionsOnly))).toEqual([]);
  });

  test('the job inherits the workflow permissions', () => {
    const text = job('{}').replace('    permissions: {}\n', '').replace('on: push\n', 'on: push\npermissions:\n  contents: write\n');
    expect(lintPrivilegedUserCode(workflow(text)).map((f) => f.rule)).toEqual(['privileged-user-code']);
  });
});

describe('number-default', () => {
  const dispatch = (expression: string) => `on:
  schedule:
    - cron: '0 2 * * *'
  workflow_dispatch:
    inputs:
      batch_size: {type: number, default: 50}
      project: {type: string, default: ''}
jobs:
  run:
    runs-on: ubuntu-latest
    steps:
      - run: ./run.sh
        env:
          VALUE: \${{ ${expression} }}
`;

  test('flags inputs.batch_size || 50 (an explicit 0 becomes 50)', () => {
    const findings = lintNumberDefault(workflow(dispatch('inputs.batch_size || 50')));
    expect(findings.map((f) => f.rule)).toEqual(['number-default']);
    expect(findings[0].message).toContain("github.event_name != 'workflow_dispatch' && <default> || inputs.batch_size");
  });

  test('flags github.event.inputs too', () => {
    expect(lintNumberDefault(workflow(dispatch('github.event.inputs.batch_size || 50')))).toHaveLength(1);
  });

  test('accepts the event-based default and string defaults', () => {
    expect(lintNumberDefault(workflow(dispatch("github.event_name != 'workflow_dispatch' && 50 || inputs.batch_size")))).toEqual([]);
    expect(lintNumberDefault(workflow(dispatch("inputs.project || 'all'")))).toEqual([]);
  });
});

describe('the reference workflows as they were before the audit (tests/fixtures/before-audit) are found', () => {
  const before = (name: string) =>
    workflow(
      readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'before-audit', `${name}.yml`), 'utf8'),
      name,
    );

  test('redcap-pipeline: inputs.batch_size || 50', () => {
    expect(lintNumberDefault(before('redcap-pipeline')).length).toBeGreaterThan(0);
  });

  test('pr-dashboard: three checkouts of refs/pull/<n>/head on issue_comment, apply credentials next to make', () => {
    const old = before('pr-dashboard');
    expect(lintPwnRequest(old).map((f) => f.message.split(':')[0])).toEqual([
      'job "plan" step 2',
      'job "apply" step 2',
      'job "bootstrap" step 2',
    ]);
    expect(lintPrivilegedUserCode(old).map((f) => f.message.split(' step')[0])).toEqual(['job "ci"', 'job "apply"', 'job "bootstrap"']);
  });

  test('ci-deploy-dev: make build with contents: write and id-token: write', () => {
    expect(lintPrivilegedUserCode(before('ci-deploy-dev')).map((f) => f.message.split(' step')[0])).toEqual(['job "build"']);
  });
});
