// Turns the ```yaml blocks of an action README into workflows the checks can run on.
import { parse, stringify } from 'yaml';
import { findOutputRefs, collectStrings, expressionsOf } from './expressions.js';

export interface YamlBlock {
  /** 1-based line of the block's first YAML line in the README. */
  line: number;
  text: string;
}

export type Example =
  | { kind: 'workflow'; block: YamlBlock; text: string }
  | { kind: 'wrapped'; block: YamlBlock; text: string; shape: 'steps' | 'step' | 'job' | 'jobs' }
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

/** Classifies a README block: a whole workflow is checked as is; steps, a step or jobs are wrapped into a minimal workflow. */
export function toExample(block: YamlBlock): Example {
  let data: unknown;
  try {
    data = parse(block.text);
  } catch (error) {
    return { kind: 'invalid', block, reason: `not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  if (isRecord(data) && 'jobs' in data) {
    if ('on' in data || 'true' in data) return { kind: 'workflow', block, text: block.text };
    // A workflow shown without its trigger: give it one (with the inputs it reads), check the rest as written.
    const { on } = context(data.jobs, new Set(Object.keys(isRecord(data.jobs) ? data.jobs : {})));
    return { kind: 'wrapped', block, shape: 'jobs', text: stringify({ on, ...data }, { lineWidth: 0 }) };
  }
  const wrap = (jobs: Record<string, unknown>, shape: 'steps' | 'step' | 'job' | 'jobs'): Example => {
    const { on, stubs, stubIds } = context(jobs, new Set(Object.keys(jobs)));
    for (const job of Object.values(jobs)) {
      if (isRecord(job) && stubIds.length > 0) {
        const own = job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
        job.needs = [...new Set([...own.map(String), ...stubIds])];
      }
    }
    const workflow = { name: 'README example', on, permissions: {}, jobs: { ...stubs, ...jobs } };
    return { kind: 'wrapped', block, shape, text: stringify(workflow, { lineWidth: 0 }) };
  };
  // A step list is part of a job: when it ends with the tunnel, the steps that use it are implied to follow.
  const endsWithTunnel = (steps: unknown[]) =>
    /\/actions\/ssh-tunnel@/.test(String((steps[steps.length - 1] as Record<string, unknown>).uses ?? ''));
  const exampleJob = (steps: unknown[]) => ({
    'runs-on': 'ubuntu-latest',
    'timeout-minutes': 10,
    permissions: {},
    steps: endsWithTunnel(steps) ? [...steps, { run: 'echo "the steps that use the tunnel follow here"' }] : steps,
  });
  if (Array.isArray(data) && data.length > 0 && data.every(isStep)) return wrap({ example: exampleJob(data) }, 'steps');
  if (isStep(data) && !isJob(data)) return wrap({ example: exampleJob([data]) }, 'step');
  if (isJob(data)) return wrap({ example: data }, 'job');
  if (isRecord(data) && Object.keys(data).length > 0 && Object.values(data).every(isJob)) return wrap({ ...data }, 'jobs');
  return { kind: 'skipped', block, reason: 'not a workflow, job or step list (e.g. a permissions or inputs fragment)' };
}
