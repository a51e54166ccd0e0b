// Runs every check on a workflow text or on the YAML examples of a README.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadContracts, OUR_ACTIONS, type ContractMap } from './action-contracts.js';
import { runActionlint } from './actionlint.js';
import { checkContracts } from './contract-check.js';
import { lintNotifyAlways, lintUserWorkflow, lintWorkflow } from './lint.js';
import { parseWorkflow, type Finding } from './model.js';
import { extractYamlBlocks, toExample } from './readme-examples.js';
import { checkSchema } from './schema.js';

export interface CheckOptions {
  /** Reference-workflow rules on top of the general ones (notify-slack always runs). */
  reference?: boolean;
  /** A user's repository: the safety rules only, not this repository's style rules. */
  user?: boolean;
}

/** All findings for one workflow: YAML, GitHub's schema, actionlint, our contracts and the lint rules. */
export async function checkWorkflowText(
  text: string,
  file: string,
  contracts: ContractMap,
  options: CheckOptions = {},
): Promise<Finding[]> {
  const parsed = parseWorkflow(text, file);
  if (!parsed.workflow) return parsed.findings;
  const findings = [...(await checkSchema(text, file)), ...(await runActionlint(text, file))];
  findings.push(...checkContracts(parsed.workflow, contracts), ...(options.user ? lintUserWorkflow : lintWorkflow)(parsed.workflow));
  if (options.reference) findings.push(...lintNotifyAlways(parsed.workflow));
  return findings;
}

export interface ReadmeResult {
  findings: Finding[];
  checked: number;
  skipped: number;
}

/** Checks every ```yaml example of a README; step lists and jobs are wrapped into a minimal workflow first. */
export async function checkReadmeText(markdown: string, file: string, contracts: ContractMap): Promise<ReadmeResult> {
  const result: ReadmeResult = { findings: [], checked: 0, skipped: 0 };
  for (const block of extractYamlBlocks(markdown)) {
    const example = toExample(block);
    if (example.kind === 'skipped') {
      result.skipped++;
      continue;
    }
    if (example.kind === 'invalid') {
      result.findings.push({ file, line: block.line, rule: 'yaml', message: `example at line ${block.line}: ${example.reason}` });
      continue;
    }
    result.checked++;
    const label = `${file} (example at line ${block.line}${example.kind === 'wrapped' ? `, ${example.shape} wrapped into a workflow` : ''})`;
    for (const finding of await checkWorkflowText(example.text, label, contracts)) {
      // Lines of a wrapped example point into the generated workflow, so point at the block instead.
      const line = example.kind === 'workflow' && finding.line !== undefined ? block.line - 1 + finding.line : block.line;
      result.findings.push({ ...finding, file, line, message: `${label}: ${finding.message}` });
    }
  }
  return result;
}

export const REFERENCE_WORKFLOWS = [
  'redcap-pipeline',
  'fragment-ingestion',
  'ci-deploy-dev',
  'promote-qa',
  'promote-prod',
  'pr-dashboard',
  'image-build',
  'fragment-ingestion-matrix',
] as const;

export interface Target {
  kind: 'workflow' | 'reference' | 'readme' | 'user';
  file: string;
}

/** This repository (it holds our actions' metadata), as opposed to a user's repository that uses them. */
export function isActionsRepository(root: string): boolean {
  return existsSync(path.join(root, 'actions', 'determine-environment', 'action.yml'));
}

/** A user's repository: each workflow under .github/workflows/, checked with the rules that apply to it. */
export function listUserTargets(root: string): Target[] {
  const dir = path.join(root, '.github', 'workflows');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((entry) => /\.ya?ml$/.test(entry))
    .sort()
    .map((entry) => ({ kind: 'user' as const, file: path.join(dir, entry) }));
}

/** What the repository asks to be checked: the reference workflows, .github/workflows/*, and the action READMEs that exist. */
export function listTargets(root: string): Target[] {
  const targets: Target[] = REFERENCE_WORKFLOWS.map((name) => ({
    kind: 'reference' as const,
    file: path.join(root, 'workflows', `${name}.yml`),
  }));
  const own = path.join(root, '.github', 'workflows');
  if (existsSync(own)) {
    for (const entry of readdirSync(own).sort()) {
      if (/\.ya?ml$/.test(entry)) targets.push({ kind: 'workflow', file: path.join(own, entry) });
    }
  }
  for (const action of OUR_ACTIONS) {
    const readme = path.join(root, 'actions', action, 'README.md');
    if (existsSync(readme)) targets.push({ kind: 'readme', file: readme });
  }
  for (const readme of ['README.md', path.join('workflows', 'README.md')]) {
    if (existsSync(path.join(root, readme))) targets.push({ kind: 'readme', file: path.join(root, readme) });
  }
  return targets;
}

/** Findings for one target; a missing reference workflow is itself a finding. */
export async function checkTarget(root: string, target: Target, contracts: ContractMap = loadContracts(root)): Promise<Finding[]> {
  const file = path.relative(root, target.file);
  if (!existsSync(target.file)) return [{ file, rule: 'missing', message: `${file} does not exist` }];
  const text = readFileSync(target.file, 'utf8');
  if (target.kind === 'readme') return (await checkReadmeText(text, file, contracts)).findings;
  return checkWorkflowText(text, file, contracts, { reference: target.kind === 'reference', user: target.kind === 'user' });
}

export function formatFinding(finding: Finding): string {
  return `${finding.file}${finding.line !== undefined ? `:${finding.line}` : ''}: [${finding.rule}] ${finding.message}`;
}
