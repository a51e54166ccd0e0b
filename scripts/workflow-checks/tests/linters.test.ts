import { describe, expect, test } from '@jest/globals';
import { runActionlint } from '../actionlint.js';
import { checkSchema } from '../schema.js';

const GOOD = `on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    permissions: {}
    steps:
      - id: x
        run: echo "v=1" >> "$GITHUB_OUTPUT"
      - run: echo "$V"
        env:
          V: \${{ steps.x.outputs.v }}
`;

describe('actionlint (offline WebAssembly build)', () => {
  test('finds nothing in a good workflow', async () => {
    expect(await runActionlint(GOOD, 'good.yml')).toEqual([]);
  });

  test('catches an undefined step, a bad cron and an undefined needs job', async () => {
    const bad = GOOD.replace('steps.x.outputs.v', 'steps.y.outputs.v')
      .replace('on: push', "on:\n  schedule:\n    - cron: '61 * * * *'")
      .concat('  b:\n    needs: missing\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n');
    const findings = await runActionlint(bad, 'bad.yml');
    const text = findings.map((finding) => `${finding.rule} ${finding.message}`).join('\n');
    expect(text).toMatch(/property "y" is not defined/);
    expect(text).toMatch(/cron/i);
    expect(text).toMatch(/missing/);
    expect(findings.every((finding) => finding.file === 'bad.yml' && typeof finding.line === 'number')).toBe(true);
  });
});

describe("GitHub's workflow schema (@actions/workflow-parser)", () => {
  test('finds nothing in a good workflow', async () => {
    expect(await checkSchema(GOOD, 'good.yml')).toEqual([]);
  });

  test('catches unknown keys with their line', async () => {
    const findings = await checkSchema(GOOD.replace('    timeout-minutes: 5\n', '    timeout-minutes: 5\n    stepz: []\n'), 'bad.yml');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'schema', line: 7 });
    expect(findings[0].message).toContain("Unexpected value 'stepz'");
  });
});
