import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { checkReadmeText } from '../check.js';
import { extractYamlBlocks, toExample } from '../readme-examples.js';
import { sampleContracts } from './helpers.js';

const README = [
  '# ssh-tunnel', // 1
  '', // 2
  '```yaml', // 3
  '- id: tunnel', // 4
  '  uses: your-org/pipeline-actions/actions/ssh-tunnel@v1', // 5
  '  with:', // 6
  '    host: ${{ vars.BASTION }}', // 7
  '    user: deploy', // 8
  '    private-key: ${{ secrets.KEY }}', // 9
  '- run: psql -p "$PORT"', // 10
  '  env:', // 11
  '    PORT: ${{ steps.tunnel.outputs.local-port }}', // 12
  '    VERSION: ${{ needs.build.outputs.version }}', // 13
  '    ENV: ${{ inputs.environment }}', // 14
  '```', // 15
  '', // 16
  '```yml', // 17
  'permissions:', // 18
  '  contents: read', // 19
  '```', // 20
  '', // 21
  '```bash', // 22
  'ssh-keyscan host', // 23
  '```', // 24
].join('\n');

describe('README examples', () => {
  test('extracts yaml and yml blocks with their first line, and nothing else', () => {
    const blocks = extractYamlBlocks(README);
    expect(blocks.map((block) => block.line)).toEqual([4, 18]);
    expect(blocks[1].text).toBe('permissions:\n  contents: read\n');
  });

  test('wraps a step list into a workflow with stub jobs for needs and dispatch inputs for inputs', () => {
    const example = toExample(extractYamlBlocks(README)[0]);
    expect(example).toMatchObject({ kind: 'wrapped', shape: 'steps' });
    const wrapped = parse((example as { text: string }).text);
    expect(Object.keys(wrapped.jobs)).toEqual(['build', 'example']);
    expect(wrapped.jobs.example.needs).toEqual(['build']);
    expect(wrapped.jobs.build.outputs).toHaveProperty('version');
    expect(wrapped.on.workflow_dispatch.inputs).toHaveProperty('environment');
  });

  test('skips fragments that are not workflows, jobs or steps, and reports YAML that does not parse', () => {
    expect(toExample({ line: 1, text: 'permissions:\n  contents: read\n' }).kind).toBe('skipped');
    expect(toExample({ line: 1, text: 'with:\n  a: [\n' }).kind).toBe('invalid');
    expect(toExample({ line: 1, text: 'on: push\njobs: {}\n' }).kind).toBe('workflow');
    expect(toExample({ line: 1, text: 'runs-on: ubuntu-latest\nsteps:\n  - run: echo\n' })).toMatchObject({
      kind: 'wrapped',
      shape: 'job',
    });
  });

  test('gives a workflow shown without on: a trigger with the inputs it reads, and keeps its jobs as written', () => {
    const example = toExample({
      line: 1,
      text: 'jobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo "$V"\n        env: {V: "${{ inputs.batch_id }}"}\n',
    });
    expect(example).toMatchObject({ kind: 'wrapped', shape: 'jobs' });
    const wrapped = parse((example as { text: string }).text);
    expect(wrapped.on.workflow_dispatch.inputs).toHaveProperty('batch_id');
    expect(wrapped.jobs.a).not.toHaveProperty('permissions');
  });

  test('a step list ending with the tunnel implies its consumer follows; a whole job ending with it is a finding', async () => {
    const steps = '```yaml\n- uses: your-org/pipeline-actions/actions/ssh-tunnel@v1\n  with: {host: h, user: u, private-key: k}\n```\n';
    expect((await checkReadmeText(steps, 'README.md', sampleContracts())).findings).toEqual([]);
    const job = [
      '```yaml',
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    timeout-minutes: 5',
      '    permissions: {}',
      '    steps:',
      '      - uses: your-org/pipeline-actions/actions/ssh-tunnel@v1',
      '        with: {host: h, user: u, private-key: k}',
      '```',
    ].join('\n');
    const findings = (await checkReadmeText(job, 'README.md', sampleContracts())).findings;
    expect(findings.map((finding) => [finding.rule, finding.line])).toEqual([['ssh-tunnel-unused', 9]]);
  });

  test('a correct README has no findings', async () => {
    const result = await checkReadmeText(README, 'README.md', sampleContracts());
    expect(result).toEqual({ findings: [], checked: 1, skipped: 1 });
  });

  test('catches a wrong input, a missing required input and a wrong output in an example', async () => {
    const bad = README.replace('    user: deploy', '    username: deploy').replace('outputs.local-port', 'outputs.port');
    const result = await checkReadmeText(bad, 'README.md', sampleContracts());
    expect(result.findings.map((finding) => finding.rule).sort()).toEqual(['missing-input', 'unknown-input', 'unknown-output']);
    expect(result.findings.every((finding) => finding.line === 4 && finding.message.startsWith('README.md (example at line 4'))).toBe(true);
  });

  test('catches an unpinned third-party action and ${{ }} in run: in an example', async () => {
    const bad = README.replace(
      '- run: psql -p "$PORT"',
      '- uses: actions/checkout@v5\n- run: psql -p ${{ steps.tunnel.outputs.local-port }}',
    );
    const rules = (await checkReadmeText(bad, 'README.md', sampleContracts())).findings.map((finding) => finding.rule);
    expect(rules).toContain('unpinned-action');
    expect(rules).toContain('run-expression');
  });

  test('keeps the # vX.Y.Z comments of a wrapped example, so a correct pin passes and a bare one is caught', async () => {
    const pinned = '```yaml\n- uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0\n```\n';
    expect((await checkReadmeText(pinned, 'README.md', sampleContracts())).findings).toEqual([]);
    const jobs =
      '```yaml\njobs:\n  a:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    permissions: {}\n    steps:\n      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8\n```\n';
    const rules = (await checkReadmeText(jobs, 'README.md', sampleContracts())).findings.map((finding) => finding.rule);
    expect(rules).toEqual(['pin-comment']);
  });

  test('reports an example that is not valid YAML', async () => {
    const result = await checkReadmeText('```yaml\n- uses: [\n```\n', 'README.md', sampleContracts());
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ rule: 'yaml', line: 2 });
  });
});
