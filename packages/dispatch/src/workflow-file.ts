import { parse as parseYaml } from 'yaml';
import { apiFailure, type GitHubClient, type RepoRef } from './client.js';

export const WORKFLOWS_DIR = '.github/workflows';

export interface DeclaredInput {
  type: string;
  required: boolean;
  default?: string;
  options?: string[];
  description?: string;
}

export interface WorkflowDefinition {
  /** Whether `on:` has workflow_dispatch. */
  dispatchable: boolean;
  inputs: Record<string, DeclaredInput>;
  runName?: string;
}

/** Reads `on.workflow_dispatch.inputs` and `run-name` of a workflow file; undefined when it is not YAML. */
export function parseWorkflowDefinition(text: string): WorkflowDefinition | undefined {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const { on, 'run-name': runName } = doc as Record<string, unknown>;
  const triggers = typeof on === 'string' ? { [on]: null } : Array.isArray(on) ? Object.fromEntries(on.map((t) => [String(t), null])) : on;
  if (typeof triggers !== 'object' || triggers === null) return { dispatchable: false, inputs: {} };
  const dispatchable = 'workflow_dispatch' in triggers;
  const raw = ((triggers as Record<string, { inputs?: unknown } | null>).workflow_dispatch?.inputs ?? {}) as Record<string, unknown>;
  const inputs: Record<string, DeclaredInput> = {};
  for (const [name, spec] of Object.entries(raw)) {
    const s = (spec ?? {}) as Record<string, unknown>;
    inputs[name] = {
      type: typeof s.type === 'string' ? s.type : 'string',
      required: s.required === true,
      ...(s.default !== undefined && s.default !== null ? { default: String(s.default) } : {}),
      ...(Array.isArray(s.options) ? { options: s.options.map(String) } : {}),
      ...(typeof s.description === 'string' ? { description: s.description } : {}),
    };
  }
  return { dispatchable, inputs, ...(typeof runName === 'string' ? { runName } : {}) };
}

/** `environment (choice: dev, qa, prod; required)`, one entry per declared input. */
export function describeInputs(inputs: Record<string, DeclaredInput>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, spec]) => {
      const parts = [spec.options ? `${spec.type}: ${spec.options.join(', ')}` : spec.type];
      if (spec.required) parts.push('required');
      if (spec.default !== undefined) parts.push(`default '${spec.default}'`);
      return [name, `${name} (${parts.join('; ')})`];
    }),
  );
}

/** The path of a workflow given as a file name (`deploy.yml`), a path, or an id (looked up). */
export async function workflowPath(client: GitHubClient, where: RepoRef, workflow: string): Promise<string | undefined> {
  if (!/^\d+$/.test(workflow)) return workflow.includes('/') ? workflow : `${WORKFLOWS_DIR}/${workflow}`;
  try {
    const { data } = await client.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}', { ...where, workflow_id: workflow });
    return (data as { path: string }).path;
  } catch {
    return undefined;
  }
}

export type FileRead =
  { kind: 'file'; text: string } | { kind: 'missing-ref' } | { kind: 'missing-file' } | { kind: 'unreadable'; why: string };

/** A file's text on a ref through the contents API (needs `contents: read`). */
export async function readFileOnRef(client: GitHubClient, where: RepoRef, path: string, ref: string): Promise<FileRead> {
  try {
    const { data } = await client.request('GET /repos/{owner}/{repo}/contents/{path}', { ...where, path, ref });
    const file = data as { type?: string; content?: string; encoding?: string };
    if (file.type !== 'file' || typeof file.content !== 'string') return { kind: 'missing-file' };
    return { kind: 'file', text: Buffer.from(file.content, file.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8') };
  } catch (error) {
    return contentsFailure(error);
  }
}

export type WorkflowListing = { kind: 'listed'; files: string[] } | { kind: 'missing-ref' } | { kind: 'unreadable'; why: string };

/** The workflow files in `.github/workflows` on a ref. */
export async function listWorkflowFiles(client: GitHubClient, where: RepoRef, ref: string): Promise<WorkflowListing> {
  try {
    const { data } = await client.request('GET /repos/{owner}/{repo}/contents/{path}', { ...where, path: WORKFLOWS_DIR, ref });
    const entries = Array.isArray(data) ? (data as { name: string; type: string }[]) : [];
    return { kind: 'listed', files: entries.filter((e) => e.type === 'file' && /\.ya?ml$/.test(e.name)).map((e) => e.name) };
  } catch (error) {
    const failure = contentsFailure(error);
    if (failure.kind === 'missing-file') return { kind: 'listed', files: [] };
    return failure;
  }
}

function contentsFailure(error: unknown): Exclude<FileRead, { kind: 'file' }> {
  const { status, message } = apiFailure(error);
  if (status === 404 && /no commit found for the ref/i.test(message)) return { kind: 'missing-ref' };
  if (status === 404) return { kind: 'missing-file' };
  return { kind: 'unreadable', why: `${status ?? 'no answer'}: ${message}` };
}
