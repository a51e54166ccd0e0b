// The checks on this repository's real files: one test per reference workflow, per workflow of our own CI,
// per action contract and per action README.
import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadContracts, OUR_ACTIONS, parseActionMetadata } from '../action-contracts.js';
import { checkTarget, formatFinding, REFERENCE_WORKFLOWS } from '../check.js';
import { findRequirements } from '../../copy-workflow/pin.js';
import { parseUses, parseWorkflow } from '../model.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const contracts = loadContracts(root);
const report = (findings: { file: string; rule: string; message: string; line?: number }[]) => findings.map(formatFinding).join('\n');

describe('reference workflows pass every check (schema, actionlint, contracts, lint)', () => {
  test.each(REFERENCE_WORKFLOWS)('workflows/%s.yml', async (name) => {
    const findings = await checkTarget(root, { kind: 'reference', file: path.join(root, 'workflows', `${name}.yml`) }, contracts);
    expect(report(findings)).toBe('');
  });

  test('the reference workflows together use every one of our actions', () => {
    const used = new Set<string>();
    for (const name of REFERENCE_WORKFLOWS) {
      const parsed = parseWorkflow(readFileSync(path.join(root, 'workflows', `${name}.yml`), 'utf8'), name);
      for (const job of parsed.workflow?.jobs ?? []) {
        for (const step of job.steps) {
          const ref = step.uses ? parseUses(step.uses) : undefined;
          if (ref?.kind === 'ours') {
            expect(step.uses).toBe(`your-org/pipeline-actions/actions/${ref.action}@v1`);
            used.add(ref.action);
          }
        }
      }
    }
    expect([...used].sort()).toEqual([...OUR_ACTIONS].sort());
  });

  test('fragment ingestion: one run per batch and environment; claim before the loader, mark-loaded after the verification', () => {
    const text = readFileSync(path.join(root, 'workflows', 'fragment-ingestion.yml'), 'utf8');
    const workflow = parseWorkflow(text, 'fragment-ingestion.yml').workflow!;
    const group = String((workflow.raw.concurrency as Record<string, unknown>).group);
    expect(group).toContain('inputs.batch_id');
    expect(group).toContain('inputs.environment');
    const load = workflow.jobs.find((job) => job.id === 'load')!;
    const index = (predicate: (step: (typeof load.steps)[number]) => boolean) => load.steps.findIndex(predicate);
    const claim = index((step) => step.with.mode === 'claim');
    const loader = index((step) => step.run?.includes('load_fragments.py') ?? false);
    const verify = index((step) => step.run?.includes('verify.sql') ?? false);
    const mark = index((step) => step.with.mode === 'mark-loaded');
    const release = index((step) => step.with.mode === 'release');
    expect([claim, loader, verify, mark].every((i, k, all) => i >= 0 && (k === 0 || i > all[k - 1]))).toBe(true);
    expect(load.steps[release].if).toMatch(/failure\(\)/);
    expect(String(load.raw.environment)).toContain('inputs.environment');
  });
});

describe('workflows/README.md documents each workflow', () => {
  const readme = readFileSync(path.join(root, 'workflows', 'README.md'), 'utf8');
  test.each(REFERENCE_WORKFLOWS)('%s: secrets, variables, environments, permissions of every job, and a Mermaid job graph', (name) => {
    const text = readFileSync(path.join(root, 'workflows', `${name}.yml`), 'utf8');
    const section = readme.split(/^## /m).find((part) => part.startsWith(`${name}.yml`));
    expect(section).toBeDefined();
    const needs = findRequirements(text);
    for (const item of [...needs.secrets, ...needs.variables]) expect(section).toContain(`\`${item}\``);
    for (const environment of needs.environments.filter((env) => !env.includes('${{'))) expect(section).toContain(`\`${environment}\``);
    const mermaid = /```mermaid\n([\s\S]*?)```/.exec(section!)?.[1] ?? '';
    const permissions = /^\| Permissions \|(.*)$/m.exec(section!)?.[1] ?? '';
    for (const job of parseWorkflow(text, name).workflow!.jobs) {
      expect(mermaid).toMatch(new RegExp(`\\b${job.id}\\b`));
      expect(permissions).toContain(`\`${job.id}\``);
    }
  });
});

describe("this repository's own workflows pass actionlint and the lint", () => {
  const dir = path.join(root, '.github', 'workflows');
  test.each(['test.yml', 'check-dist.yml', 'release.yml'])('.github/workflows/%s exists', (file) => {
    expect(existsSync(path.join(dir, file))).toBe(true);
  });
  const files = existsSync(dir) ? readdirSync(dir).filter((file) => /\.ya?ml$/.test(file)) : [];
  test.each(files.length > 0 ? files : ['(none)'])('.github/workflows/%s', async (file) => {
    const findings = await checkTarget(root, { kind: 'workflow', file: path.join(dir, file) }, contracts);
    expect(report(findings)).toBe('');
  });
});

describe('action contracts the workflows are checked against', () => {
  // Fails loudly while an action is still missing: the workflows cannot be checked against it.
  test.each(OUR_ACTIONS)('actions/%s/action.yml exists and declares inputs and outputs', (action) => {
    const file = path.join(root, 'actions', action, 'action.yml');
    expect(existsSync(file) ? file : `missing: ${file}`).toBe(file);
    const contract = parseActionMetadata(action, readFileSync(file, 'utf8'));
    expect(contract.outputs.size).toBeGreaterThan(0);
  });
});

describe('action README examples pass the same checks', () => {
  for (const action of OUR_ACTIONS) {
    const readme = path.join(root, 'actions', action, 'README.md');
    // Gated on the README existing (it is written with the action); shown as skipped until then.
    (existsSync(readme) ? test : test.skip)(`actions/${action}/README.md`, async () => {
      const findings = await checkTarget(root, { kind: 'readme', file: readme }, contracts);
      expect(report(findings)).toBe('');
    });
  }
});
