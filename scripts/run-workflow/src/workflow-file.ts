// Loads a workflow with GitHub's parser: schema validation, `${{ }}` turned into expression tokens, `if:` conditions
// completed with `success() &&` as GitHub does. The converted model drops step `with:`, `shell:`, `working-directory:`,
// `timeout-minutes:` and job `defaults:`/`permissions:`/`timeout-minutes:`, so those are read from the raw tokens.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { convertWorkflowTemplate, isMapping, parseWorkflow, type WorkflowTemplate } from '@actions/workflow-parser';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import type { Job, Step } from '@actions/workflow-parser/model/workflow-template';

export interface WorkflowFile {
  path: string;
  name: string;
  template: WorkflowTemplate;
  /** Top-level keys of the YAML (`permissions`, `defaults`, `name`, `env`, `concurrency`...). */
  root: MappingToken;
  /** The YAML as plain data, for what the converted model does not keep (input types). */
  plain: { on?: Record<string, unknown> | string | string[] | null; [key: string]: unknown };
  jobs: JobDefinition[];
}

export interface JobDefinition {
  id: string;
  job: Job;
  raw: MappingToken;
  steps: StepDefinition[];
}

export interface StepDefinition {
  index: number;
  step: Step;
  raw: MappingToken;
}

export class WorkflowLoadError extends Error {}

const silent = { info: () => undefined, verbose: () => undefined, error: () => undefined };

export async function loadWorkflow(path: string): Promise<WorkflowFile> {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch {
    throw new WorkflowLoadError(`Workflow file not found: ${path}`);
  }
  const parsed = parseWorkflow({ name: basename(path), content }, silent);
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (!parsed.value || errors.length > 0) throw new WorkflowLoadError(`${path} is not a valid workflow:\n  ${errors.join('\n  ')}`);
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  if (template.errors?.length)
    throw new WorkflowLoadError(`${path} is not a valid workflow:\n  ${template.errors.map((e) => e.Message).join('\n  ')}`);
  const root = parsed.value as MappingToken;
  const rawJobs = find(root, 'jobs') as MappingToken;
  const jobs: JobDefinition[] = [];
  for (const job of template.jobs) {
    if (job.type !== 'job')
      throw new WorkflowLoadError(`Job '${job.id.value}' calls a reusable workflow, which run-workflow does not model.`);
    const raw = find(rawJobs, job.id.value) as MappingToken;
    const rawSteps = find(raw, 'steps');
    const steps: StepDefinition[] = job.steps.map((step, index) => ({
      index,
      step,
      raw: (rawSteps && 'get' in rawSteps
        ? (rawSteps as unknown as { get(i: number): TemplateToken }).get(index)
        : undefined) as MappingToken,
    }));
    jobs.push({ id: job.id.value, job, raw, steps });
  }
  const nameToken = find(root, 'name');
  const name = nameToken && 'value' in nameToken ? String((nameToken as unknown as { value: unknown }).value) : basename(path);
  const plain = (parseYaml(content) ?? {}) as WorkflowFile['plain'];
  return { path, name, template, root, plain, jobs };
}

/** A key of a mapping token (case-sensitive, as YAML keys are). */
export function find(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  if (!token || !isMapping(token)) return undefined;
  for (const pair of token) if (String((pair.key as unknown as { value: unknown }).value) === key) return pair.value;
  return undefined;
}
