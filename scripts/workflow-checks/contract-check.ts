// Checks every use of our actions against its action.yml: inputs given, inputs known, outputs referenced exist,
// following `needs.<job>.outputs.<name>` through the job's `outputs:` mapping back to the step that sets it.
import { isMandatory, type ContractMap } from './action-contracts.js';
import { collectStrings, expressionsOf, findOutputRefs, type OutputRef } from './expressions.js';
import { parseUses, type Finding, type JobModel, type StepModel, type WorkflowModel } from './model.js';

function ourAction(step: StepModel | undefined): string | undefined {
  if (!step?.uses) return undefined;
  const ref = parseUses(step.uses);
  return ref.kind === 'ours' ? ref.action : undefined;
}

function stepLabel(step: StepModel): string {
  return step.id ? `step "${step.id}"` : `step ${step.index + 1}${step.name ? ` ("${step.name}")` : ''}`;
}

function checkInputs(workflow: WorkflowModel, job: JobModel, step: StepModel, contracts: ContractMap): Finding[] {
  const action = ourAction(step);
  if (!action) return [];
  const at = { file: workflow.file, line: step.line };
  const where = `job "${job.id}" ${stepLabel(step)}`;
  const contract = contracts.get(action);
  if (!contract) return []; // reported once per action by checkContracts
  const findings: Finding[] = [];
  for (const key of Object.keys(step.with)) {
    if (!contract.inputs.has(key)) {
      const known = [...contract.inputs.keys()].sort().join(', ') || '(none)';
      findings.push({ ...at, rule: 'unknown-input', message: `${where}: "${key}" is not an input of ${action} (inputs: ${known})` });
    }
  }
  for (const [key, input] of contract.inputs) {
    if (isMandatory(input) && !(key in step.with)) {
      findings.push({ ...at, rule: 'missing-input', message: `${where}: required input "${key}" of ${action} is not given` });
    }
  }
  return findings;
}

function checkStepOutput(
  workflow: WorkflowModel,
  job: JobModel,
  ref: OutputRef,
  contracts: ContractMap,
  line: number | undefined,
  via: string,
): Finding[] {
  const at = { file: workflow.file, line };
  const step = job.steps.find((candidate) => candidate.id === ref.id);
  if (!step) {
    return [{ ...at, rule: 'unknown-step', message: `${via}${ref.text}: job "${job.id}" has no step with id "${ref.id}"` }];
  }
  const action = ourAction(step);
  if (!action) return []; // a run step or a third-party action: its outputs are not ours to check
  const contract = contracts.get(action);
  if (!contract) return []; // reported once per action by checkContracts
  if (contract.outputs.has(ref.name)) return [];
  const known = [...contract.outputs].sort().join(', ') || '(none)';
  return [{ ...at, rule: 'unknown-output', message: `${via}${ref.text}: "${ref.name}" is not an output of ${action} (outputs: ${known})` }];
}

function checkNeedsOutput(
  workflow: WorkflowModel,
  ref: OutputRef,
  contracts: ContractMap,
  line: number | undefined,
  via: string,
  depth: number,
): Finding[] {
  const at = { file: workflow.file, line };
  const target = workflow.jobs.find((job) => job.id === ref.id);
  if (!target) return [{ ...at, rule: 'unknown-job', message: `${via}${ref.text}: there is no job "${ref.id}"` }];
  if (!(ref.name in target.outputs)) {
    return [{ ...at, rule: 'unknown-job-output', message: `${via}${ref.text}: job "${ref.id}" declares no output "${ref.name}"` }];
  }
  if (depth > 20) return [];
  const findings: Finding[] = [];
  const chain = `${via}${ref.text} -> `;
  for (const expression of expressionsOf(['outputs', ref.name], target.outputs[ref.name])) {
    for (const inner of findOutputRefs(expression)) {
      findings.push(
        ...(inner.kind === 'steps'
          ? checkStepOutput(workflow, target, inner, contracts, line, chain)
          : checkNeedsOutput(workflow, inner, contracts, line, chain, depth + 1)),
      );
    }
  }
  return findings;
}

/** Contract findings for one workflow; an empty list means every use of our actions matches its action.yml. */
export function checkContracts(workflow: WorkflowModel, contracts: ContractMap): Finding[] {
  const findings: Finding[] = [];
  // An action without a readable action.yml fails every use loudly, once per action.
  const missing = new Map<string, number[]>();
  for (const job of workflow.jobs) {
    for (const step of job.steps) {
      const action = ourAction(step);
      if (action && !contracts.get(action)) missing.set(action, [...(missing.get(action) ?? []), step.line ?? 0]);
    }
  }
  for (const [action, lines] of missing) {
    findings.push({
      file: workflow.file,
      line: lines[0],
      rule: 'contract-missing',
      message: `${action} is used ${lines.length} time(s) (lines ${lines.join(', ')}), but actions/${action}/action.yml does not exist or does not parse: its inputs and outputs cannot be checked`,
    });
  }
  for (const job of workflow.jobs) {
    for (const step of job.steps) findings.push(...checkInputs(workflow, job, step, contracts));
    const stepLines = new Map(job.steps.map((step) => [String(step.index), step.line]));
    for (const { path, value } of collectStrings(job.raw)) {
      const line = path[0] === 'steps' ? stepLines.get(path[1]) : job.line;
      for (const expression of expressionsOf(path, value)) {
        for (const ref of findOutputRefs(expression)) {
          findings.push(
            ...(ref.kind === 'steps'
              ? checkStepOutput(workflow, job, ref, contracts, line, `job "${job.id}": `)
              : checkNeedsOutput(workflow, ref, contracts, line, `job "${job.id}": `, 0)),
          );
        }
      }
    }
  }
  // De-duplicate: the same reference written twice in one step is one finding.
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.line}|${finding.rule}|${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
