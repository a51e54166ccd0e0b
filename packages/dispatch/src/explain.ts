import { apiFailure, type GitHubClient, type RepoRef } from './client.js';
import { DispatchError } from './errors.js';
import { describeInputs, listWorkflowFiles, parseWorkflowDefinition, readFileOnRef, workflowPath } from './workflow-file.js';

export interface DispatchTarget extends RepoRef {
  workflow: string;
  /** Branch or tag name. */
  ref: string;
}

const PERMISSION_FIX =
  'give the job `permissions: actions: write` (GITHUB_TOKEN), or use a fine-grained token with Actions: write or a classic token with the `repo` scope (the classic `workflow` scope is for editing workflow files, not for dispatching them)';

/** Whether a 400/422 is the server refusing `return_run_details` (GitHub Enterprise Server 3.20 and older). */
export function rejectsRunDetails(error: unknown): boolean {
  const { status, message } = apiFailure(error);
  return (status === 400 || status === 422) && /return_run_details/.test(message);
}

/** Whether a 422 names `distinct_id` as an input the workflow does not declare. */
export function rejectsDistinctId(error: unknown): boolean {
  const { status, message } = apiFailure(error);
  return status === 422 && /unexpected inputs?/i.test(message) && /distinct_id/.test(message);
}

/** Turns GitHub's answer to a dispatch into a DispatchError with the fix; reads the workflow on the ref where that helps. */
export async function explainDispatchFailure(client: GitHubClient, target: DispatchTarget, error: unknown): Promise<Error> {
  const { status, message, headers } = apiFailure(error);
  const where = `${target.owner}/${target.repo}`;
  const details = { status, githubMessage: message };
  if (status === 401)
    return new DispatchError(
      'auth',
      `GitHub rejected the token (401 ${message}): pass a valid, unexpired token that can see ${where}.`,
      details,
    );
  if (status === 429 || (status === 403 && (String(headers['x-ratelimit-remaining']) === '0' || /rate limit/i.test(message)))) {
    const reset = Number(headers['x-ratelimit-reset']);
    const resetAt = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000).toISOString() : undefined;
    return new DispatchError(
      'rate-limited',
      `GitHub's rate limit stopped the dispatch (${status} ${message})${resetAt ? `; it resets at ${resetAt}` : ''}: try again after the reset, or use a token with its own quota (a GitHub App installation token).`,
      { ...details, ...(resetAt ? { resetAt } : {}) },
    );
  }
  if (status === 403)
    return new DispatchError(
      'permission',
      `The token may not dispatch workflows in ${where} (403 ${message}): ${PERMISSION_FIX}.`,
      details,
    );
  if (status === 404 || (status === 422 && /no ref found/i.test(message))) return explainNotFound(client, target, details);
  if (status === 422) return explainInvalidInputs(client, target, message, details);
  return new Error(`Dispatching ${target.workflow} on ${target.ref} in ${where} failed (${status ?? 'no answer'}: ${message}).`);
}

async function explainNotFound(client: GitHubClient, target: DispatchTarget, details: { status?: number; githubMessage?: string }) {
  const where = `${target.owner}/${target.repo}`;
  const listing = await listWorkflowFiles(client, target, target.ref);
  if (listing.kind === 'missing-ref')
    return new DispatchError(
      'not-found',
      `Ref '${target.ref}' was not found in ${where}: pass an existing branch or tag as the ref.`,
      details,
    );
  if (listing.kind === 'listed') {
    const file = target.workflow.split('/').at(-1)!;
    const there = listing.files.length > 0 ? `the workflows there are ${listing.files.join(', ')}` : 'no workflow files are there';
    const message = listing.files.includes(file)
      ? `Workflow '${target.workflow}' on '${target.ref}' of ${where} was not found by the dispatch API (${details.status} ${details.githubMessage}): check that it is enabled and that the token can see it (${there}).`
      : `Workflow '${target.workflow}' is not on ref '${target.ref}' of ${where} (${there}): pass one of them (file name or id), or a ref that has it.`;
    return new DispatchError('not-found', message, { ...details, workflows: listing.files });
  }
  return new DispatchError(
    'not-found',
    `Workflow '${target.workflow}', ref '${target.ref}' or repository ${where} was not found, or the token cannot see it (${details.status} ${details.githubMessage}): check the workflow file name (e.g. deploy.yml), the ref and the repository; grant \`contents: read\` to have the workflows on that ref listed here.`,
    details,
  );
}

async function explainInvalidInputs(
  client: GitHubClient,
  target: DispatchTarget,
  message: string,
  details: { status?: number; githubMessage?: string },
) {
  const where = `${target.owner}/${target.repo}`;
  const path = await workflowPath(client, target, target.workflow);
  const read = path ? await readFileOnRef(client, target, path, target.ref) : undefined;
  const definition = read?.kind === 'file' ? parseWorkflowDefinition(read.text) : undefined;
  if (/workflow_dispatch/.test(message) || definition?.dispatchable === false)
    return new DispatchError(
      'invalid-inputs',
      `Workflow '${target.workflow}' on '${target.ref}' of ${where} has no workflow_dispatch trigger (${message}): add \`on: workflow_dispatch:\` with its inputs to the workflow on that ref.`,
      details,
    );
  const offending = offendingInputs(message);
  const declared = definition ? describeInputs(definition.inputs) : undefined;
  const list = declared
    ? Object.keys(declared).length > 0
      ? `declared inputs: ${Object.values(declared).join(', ')}`
      : 'the workflow declares no inputs'
    : 'the declared inputs could not be read (grant `contents: read` to list them)';
  const named = offending.length > 0 ? ` (offending: ${offending.join(', ')})` : '';
  return new DispatchError(
    'invalid-inputs',
    `Workflow '${target.workflow}' on '${target.ref}' rejected the inputs${named}: ${message}; ${list}; pass only declared inputs with allowed values.`,
    { ...details, offendingInputs: offending, ...(declared ? { declaredInputs: declared } : {}) },
  );
}

/** Input names in GitHub's 422 messages: `Unexpected inputs provided: ["a", "b"]`, `Required input 'x' not provided`, `... for input 'x' ...`. */
export function offendingInputs(message: string): string[] {
  const names = new Set<string>();
  const list = /inputs? provided:\s*(\[[^\]]*\])/i.exec(message);
  if (list) {
    try {
      for (const name of JSON.parse(list[1]) as unknown[]) names.add(String(name));
    } catch {
      for (const m of list[1].matchAll(/"([^"]+)"/g)) names.add(m[1]);
    }
  }
  for (const m of message.matchAll(/input '([^']+)'/gi)) names.add(m[1]);
  return [...names];
}
