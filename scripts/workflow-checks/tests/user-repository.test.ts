// `pnpm check-workflows DIR` on a user's repository: the reference workflows as copy-workflow writes them, with the
// edits every user makes, give no findings; the safety rules still find what they are for.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinWorkflowText } from '../../copy-workflow/pin.js';
import { loadContracts } from '../action-contracts.js';
import { checkTarget, formatFinding, isActionsRepository, listUserTargets, REFERENCE_WORKFLOWS } from '../check.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const contracts = loadContracts(root);
const PIN = { owner: 'my-org', sha: '0123456789abcdef0123456789abcdef01234567', label: 'v1.4.0' };

/** What users change after copying: their runners, their Python, one more setup step, their project list. */
function userEdits(text: string): string {
  return text
    .replace('runs-on: ubuntu-latest', 'runs-on: [self-hosted, linux, x64]')
    .replace("python-version: '3.11'", "python-version: '3.12'")
    .replace(
      /(\n( +)- uses: actions\/checkout@[^\n]+\n(?:\2 {2}[^\n]+\n)*)/,
      (block: string, _all: string, indent: string) =>
        `${block}${indent}- uses: actions/setup-node@v4\n${indent}  with:\n${indent}    node-version: 22\n`,
    )
    .replace('gap, uc_demarc, protect, sparc, niddk_ibdgc', 'gap, sparc, our_new_project');
}

let repo: string;
beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'user-repo-'));
  mkdirSync(path.join(repo, '.github', 'workflows'), { recursive: true });
  for (const name of REFERENCE_WORKFLOWS) {
    const text = readFileSync(path.join(root, 'workflows', `${name}.yml`), 'utf8');
    writeFileSync(path.join(repo, '.github', 'workflows', `${name}.yml`), userEdits(pinWorkflowText(text, PIN).text));
  }
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('check-workflows on a user repository', () => {
  test('is told apart from this repository and lists its .github/workflows', () => {
    expect(isActionsRepository(root)).toBe(true);
    expect(isActionsRepository(repo)).toBe(false);
    expect(
      listUserTargets(repo)
        .map((t) => path.basename(t.file, '.yml'))
        .sort(),
    ).toEqual([...REFERENCE_WORKFLOWS].sort());
  });

  test.each(REFERENCE_WORKFLOWS)('the copied %s.yml with typical edits gives no findings', async (name) => {
    const file = path.join(repo, '.github', 'workflows', `${name}.yml`);
    expect(readFileSync(file, 'utf8')).toContain('my-org/pipeline-actions/actions/');
    const findings = await checkTarget(repo, { kind: 'user', file }, contracts);
    expect(findings.map(formatFinding).join('\n')).toBe('');
  });

  test('a user edit that puts make build next to a write token is found', async () => {
    const file = path.join(repo, '.github', 'workflows', 'ci-deploy-dev.yml');
    const text = readFileSync(file, 'utf8').replace(
      /( {2}build:\n(?:.*\n)*? {4}permissions:\n {6}contents: read)/,
      '$1\n      id-token: write',
    );
    writeFileSync(file, text);
    const findings = await checkTarget(repo, { kind: 'user', file }, contracts);
    expect(findings.map((f) => f.rule)).toEqual(['privileged-user-code']);
  });

  test("an unknown input of our action is found against this checkout's contracts", async () => {
    const file = path.join(repo, '.github', 'workflows', 'redcap-pipeline.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('allowed: qa, production', 'allowed: qa, production\n          allowd: qa'));
    const findings = await checkTarget(repo, { kind: 'user', file }, contracts);
    expect(findings.map((f) => f.rule)).toContain('unknown-input');
  });
});
