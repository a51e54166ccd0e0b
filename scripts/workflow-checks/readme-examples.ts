// Turns the ```yaml blocks of an action README into workflows the checks can run on.
import { Document, isMap, parseDocument, YAMLSeq, type YAMLMap } from 'yaml';
import { findOutputRefs, collectStrings, expressionsOf } from './expressions.js';

export interface YamlBlock {
  /** 1-based line of the block's first YAML line in the README. */
  line: number;
  text: string;
}

export type Example =
  | { kind: 'workflow'; block: YamlBlock; text: string }
  | { kind: 'wrapped'; block: YamlBlock; text: string; shape: Shape }
  | { kind: 'skipped'; block: YamlBlock; reason: string }
  | { kind: 'invalid'; block: YamlBlock; reason: string };

/** The fenced ```yaml / ```yml blocks of a markdown text. */
export function extractYamlBlocks(markdown: string): YamlBlock[] {
  const blocks: YamlBlock[] = [];
  const lines = markdown.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(yaml|yml)\b/i.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const fence = open[2];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j].trimStart().startsWith(fence); j++)
      body.push(lines[j].slice(Math.min(indent, lines[j].search(/\S|$/))));
    blocks.push({ line: i + 2, text: body.join('\n') + '\n' });
    i = j;
  }
  return blocks;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isStep = (value: unknown) => isRecord(value) && ('uses' in value || 'run' in value);
const isJob = (value: unknown) =>
  isRecord(value) && ('steps' in value || 'runs-on' in value || String(value.uses ?? '').includes('.github/workflows/'));

/** Stub jobs and dispatch inputs for what a fragment refers to but does not define. */
function context(fragment: unknown, definedJobs: Set<string>) {
  const inputs: Record<string, { type: string; required: boolean }> = {};
  const needs = new Map<string, Set<string>>();
  for (const { path, value } of collectStrings(fragment)) {
    for (const expression of expressionsOf(path, value)) {
      for (const match of expression.matchAll(/\binputs\.([A-Za-z_][A-Za-z0-9_-]*)/g))
        inputs[match[1]] = { type: 'string', required: false };
      for (const ref of findOutputRefs(expression)) {
        if (ref.kind !== 'needs' || definedJobs.has(ref.id)) continue;
        if (!needs.has(ref.id)) needs.set(ref.id, new Set());
        needs.get(ref.id)!.add(ref.name);
      }
      for (const match of expression.matchAll(/\bneeds\.([A-Za-z_][A-Za-z0-9_-]*)\.result\b/g)) {
        if (!definedJobs.has(match[1]) && !needs.has(match[1])) needs.set(match[1], new Set());
      }
    }
  }
  const stubs: Record<string, unknown> = {};
  for (const [id, outputs] of needs) {
    stubs[id] = {
      'runs-on': 'ubuntu-latest',
      'timeout-minutes': 5,
      permissions: {},
      outputs: Object.fromEntries([...outputs].map((name) => [name, '${{ steps.stub.outputs.value }}'])),
      steps: [{ id: 'stub', run: 'echo "value=example" >> "$GITHUB_OUTPUT"' }],
    };
  }
  const on = Object.keys(inputs).length > 0 ? { workflow_dispatch: { inputs } } : { workflow_dispatch: null };
  return { on, stubs, stubIds: [...needs.keys()] };
}

type Shape = 'steps' | 'step' | 'job' | 'jobs';

// A step list is part of a job: when it ends with the tunnel, the steps that use it are implied to follow.
const endsWithTunnel = (steps: unknown[]) =>
  /\/actions\/ssh-tunnel@/.test(String((steps[steps.length - 1] as Record<string, unknown>).uses ?? ''));

/** Wraps the example's own YAML nodes (so comments such as `# v5.0.0` survive) into a minimal workflow. */
function wrap(block: YamlBlock, source: Document, data: unknown, shape: Shape): Example {
  const doc = new Document({});
  let jobs: Record<string, unknown>;
  let nodes: Record<string, unknown>;
  if (shape === 'steps' || shape === 'step') {
    const steps = shape === 'steps' ? (data as unknown[]) : [data];
    const stepsNode = shape === 'steps' ? (source.contents as YAMLSeq) : new YAMLSeq();
    if (shape === 'step') stepsNode.add(source.contents);
    if (endsWithTunnel(steps)) stepsNode.add(doc.createNode({ run: 'echo "the steps that use the tunnel follow here"' }));
    const job = doc.createNode({ 'runs-on': 'ubuntu-latest', 'timeout-minutes': 10, permissions: {} }) as YAMLMap;
    job.set('steps', stepsNode);
    jobs = { example: { steps } };
    nodes = { example: job };
  } else if (shape === 'job') {
    jobs = { example: data };
    nodes = { example: source.contents };
  } else {
    jobs = data as Record<string, unknown>;
    nodes = Object.fromEntries(Object.keys(jobs).map((id) => [id, source.get(id, true)]));
  }
  const { on, stubs, stubIds } = context(jobs, new Set(Object.keys(jobs)));
  if (stubIds.length > 0) {
    for (const [id, node] of Object.entries(nodes)) {
      const job = jobs[id];
      if (!isMap(node) || !isRecord(job)) continue;
      const own = job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
      node.set('needs', doc.createNode([...new Set([...own.map(String), ...stubIds])]));
    }
  }
  const jobsNode = doc.createNode(stubs) as YAMLMap;
  for (const [id, node] of Object.entries(nodes)) jobsNode.set(id, node);
  const root = doc.createNode({ name: 'README example', on, permissions: {} }) as YAMLMap;
  root.set('jobs', jobsNode);
  doc.contents = root;
  return { kind: 'wrapped', block, shape, text: doc.toString({ lineWidth: 0 }) };
}

/** Classifies a README block: a whole workflow is checked as is; steps, a step or jobs are wrapped into a minimal workflow. */
export function toExample(block: YamlBlock): Example {
  const source = parseDocument(block.text);
  if (source.errors.length > 0) {
    return { kind: 'invalid', block, reason: `not valid YAML: ${source.errors[0].message.split('\n')[0]}` };
  }
  const data: unknown = source.toJS();
  if (isRecord(data) && 'jobs' in data) {
    if ('on' in data) return { kind: 'workflow', block, text: block.text };
    // A workflow shown without its trigger: give it one (with the inputs it reads), check the rest as written.
    const { on } = context(data.jobs, new Set(Object.keys(isRecord(data.jobs) ? data.jobs : {})));
    source.set('on', source.createNode(on));
    return { kind: 'wrapped', block, shape: 'jobs', text: source.toString({ lineWidth: 0 }) };
  }
  if (Array.isArray(data) && data.length > 0 && data.every(isStep)) return wrap(block, source, data, 'steps');
  if (isStep(data) && !isJob(data)) return wrap(block, source, data, 'step');
  if (isJob(data)) return wrap(block, source, data, 'job');
  if (isRecord(data) && Object.keys(data).length > 0 && Object.values(data).every(isJob)) return wrap(block, source, data, 'jobs');
  return { kind: 'skipped', block, reason: 'not a workflow, job or step list (e.g. a permissions or inputs fragment)' };
}
