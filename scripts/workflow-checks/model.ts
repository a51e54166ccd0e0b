// A workflow as plain values plus the positions the findings point at.
// GitHub's @actions/workflow-parser validates the schema (schema.ts), but its converted model drops step `with:`
// and rewrites expressions, so the contract and lint checks read the YAML itself (the `yaml` package).
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';

export interface Finding {
  file: string;
  line?: number;
  rule: string;
  message: string;
}

export interface StepModel {
  index: number;
  id?: string;
  name?: string;
  uses?: string;
  /** The trailing comment on the `uses:` line, e.g. `v5.0.0`. */
  usesComment?: string;
  run?: string;
  if?: string;
  with: Record<string, unknown>;
  env: Record<string, unknown>;
  line?: number;
  raw: Record<string, unknown>;
}

export interface JobModel {
  id: string;
  /** A reusable-workflow call (`jobs.<id>.uses`) has no steps and no timeout. */
  uses?: string;
  needs: string[];
  if?: string;
  outputs: Record<string, string>;
  steps: StepModel[];
  line?: number;
  raw: Record<string, unknown>;
}

export interface WorkflowModel {
  file: string;
  raw: Record<string, unknown>;
  jobs: JobModel[];
}

export interface ParsedWorkflow {
  workflow?: WorkflowModel;
  findings: Finding[];
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

function lineOf(doc: Document, counter: LineCounter, path: (string | number)[]): number | undefined {
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  return node?.range ? counter.linePos(node.range[0]).line : undefined;
}

/** Parses workflow YAML into the model; YAML errors and a missing `jobs:` mapping become findings. */
export function parseWorkflow(text: string, file: string): ParsedWorkflow {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      findings: doc.errors.map((error) => ({
        file,
        line: error.linePos?.[0]?.line,
        rule: 'yaml',
        message: `not valid YAML: ${error.message.split('\n')[0]}`,
      })),
    };
  }
  const raw = asRecord(doc.toJS());
  const jobsNode = doc.get('jobs', true);
  if (!isMap(jobsNode)) {
    return { findings: [{ file, line: 1, rule: 'workflow', message: 'no `jobs:` mapping: not a workflow' }] };
  }
  const jobs: JobModel[] = [];
  for (const [id, value] of Object.entries(asRecord(raw.jobs))) {
    const job = asRecord(value);
    const needsValue = job.needs;
    const needs = Array.isArray(needsValue) ? needsValue.map(String) : needsValue === undefined ? [] : [String(needsValue)];
    const outputs: Record<string, string> = {};
    for (const [key, out] of Object.entries(asRecord(job.outputs))) outputs[key] = asString(out) ?? '';
    const stepsValue = Array.isArray(job.steps) ? job.steps : [];
    const steps: StepModel[] = stepsValue.map((stepValue, index) => {
      const step = asRecord(stepValue);
      const usesNode = doc.getIn(['jobs', id, 'steps', index, 'uses'], true);
      return {
        index,
        id: asString(step.id),
        name: asString(step.name),
        uses: asString(step.uses),
        usesComment: isScalar(usesNode) && usesNode.comment ? usesNode.comment.trim() : undefined,
        run: asString(step.run),
        if: asString(step.if),
        with: asRecord(step.with),
        env: asRecord(step.env),
        line: lineOf(doc, counter, ['jobs', id, 'steps', index]),
        raw: step,
      };
    });
    const jobNode = doc.getIn(['jobs', id], true);
    jobs.push({
      id,
      uses: asString(job.uses),
      needs,
      if: asString(job.if),
      outputs,
      steps,
      line: isMap(jobNode) || isSeq(jobNode) ? lineOf(doc, counter, ['jobs', id]) : undefined,
      raw: job,
    });
  }
  return { workflow: { file, raw, jobs }, findings: [] };
}

export type UsesRef =
  | { kind: 'ours'; action: string; owner: string; ref: string }
  | { kind: 'local'; path: string }
  | { kind: 'docker'; image: string }
  | { kind: 'remote'; repo: string; ref: string };

const OURS = /^([A-Za-z0-9_.-]+)\/pipeline-actions\/actions\/([A-Za-z0-9_.-]+)@(.+)$/;
const OURS_LOCAL = /^\.\/actions\/([A-Za-z0-9_.-]+)\/?$/;

/** Classifies a `uses:` value; `owner/pipeline-actions/actions/<name>@ref` and `./actions/<name>` are ours. */
export function parseUses(uses: string): UsesRef {
  const value = uses.trim();
  const ours = OURS.exec(value);
  if (ours) return { kind: 'ours', owner: ours[1], action: ours[2], ref: ours[3] };
  const local = OURS_LOCAL.exec(value);
  if (local) return { kind: 'ours', owner: '.', action: local[1], ref: '' };
  if (value.startsWith('./') || value.startsWith('../')) return { kind: 'local', path: value };
  if (value.startsWith('docker://')) return { kind: 'docker', image: value.slice('docker://'.length) };
  const at = value.lastIndexOf('@');
  return at < 0 ? { kind: 'remote', repo: value, ref: '' } : { kind: 'remote', repo: value.slice(0, at), ref: value.slice(at + 1) };
}
