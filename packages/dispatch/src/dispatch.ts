import { randomUUID } from 'node:crypto';
import { apiFailure, refName, systemClock, type Clock, type GitHubClient } from './client.js';
import { findRunByDistinctId } from './correlate.js';
import { DispatchError } from './errors.js';
import { explainDispatchFailure, rejectsDistinctId, rejectsRunDetails, type DispatchTarget } from './explain.js';
import { parseWorkflowDefinition, readFileOnRef, workflowPath, WORKFLOWS_DIR, type WorkflowDefinition } from './workflow-file.js';

export type CorrelationMode = 'auto' | 'run-details' | 'distinct-id';
export type IdentifyMethod = 'run-details' | 'correlation';

export interface DispatchOptions {
  owner: string;
  repo: string;
  /** Workflow file name (`deploy.yml`) or id. */
  workflow: string | number;
  /** Branch or tag (`main`, `refs/heads/main`, `v1.2.0`). */
  ref: string;
  /** The workflow's inputs; numbers and booleans are sent as strings. */
  inputs?: Record<string, string | number | boolean>;
  /** auto: run details when the server gives them, else correlation by distinct_id. */
  correlation?: CorrelationMode;
  /** How long to look for the run when correlating (default 2 minutes). */
  findTimeoutMs?: number;
  /** First pause between looks while correlating (default 2 s; grows with backoff). */
  findIntervalMs?: number;
  /** Web URL of the server (https://github.com, https://ghes.example.com) for the runs page; read from the workflow when unset. */
  serverUrl?: string;
  /** Progress and fallback notes. */
  log?: (line: string) => void;
  clock?: Clock;
}

export interface DispatchResult {
  runId: number;
  /** The run's page (html URL). */
  runUrl: string;
  runNumber?: number;
  status?: string;
  method: IdentifyMethod;
  /** The id sent as the distinct_id input (correlation only). */
  distinctId?: string;
  owner: string;
  repo: string;
}

export const MAX_INPUTS = 25;
export const DISTINCT_ID_INPUT = 'distinct_id';

/** Dispatches a workflow and returns exactly the run it started (never "the newest run"). */
export async function dispatchWorkflow(client: GitHubClient, options: DispatchOptions): Promise<DispatchResult> {
  const target: DispatchTarget = {
    owner: options.owner,
    repo: options.repo,
    workflow: String(options.workflow),
    ref: refName(options.ref),
  };
  const inputs = Object.fromEntries(Object.entries(options.inputs ?? {}).map(([k, v]) => [k, String(v)]));
  const log = options.log ?? (() => undefined);
  const mode = options.correlation ?? 'auto';
  if (Object.keys(inputs).length > MAX_INPUTS)
    throw new DispatchError(
      'invalid-inputs',
      `${Object.keys(inputs).length} inputs given: GitHub accepts at most ${MAX_INPUTS}; pass fewer.`,
    );

  if (mode !== 'distinct-id') {
    try {
      const response = await post(client, target, inputs, true);
      const details = response.data as { workflow_run_id?: number; html_url?: string } | undefined;
      if (response.status === 200 && typeof details?.workflow_run_id === 'number')
        return describeRun(client, target, details.workflow_run_id, details.html_url ?? '', 'run-details');
      throw new DispatchError(
        'unidentified',
        `The server accepted the dispatch of ${target.workflow} but returned no run details (${response.status}): find the run on ${await runsUrl(client, target, options.serverUrl)}.`,
        { dispatched: true, runsUrl: await runsUrl(client, target, options.serverUrl), status: response.status },
      );
    } catch (error) {
      if (error instanceof DispatchError) throw error;
      if (!rejectsRunDetails(error)) throw await explainDispatchFailure(client, target, error);
      if (mode === 'run-details')
        throw new DispatchError(
          'unidentified',
          `The server does not return run details (${apiFailure(error).message}; GitHub Enterprise Server 3.20 and older): use correlation 'auto' with a distinct_id input in the workflow.`,
          { status: apiFailure(error).status, githubMessage: apiFailure(error).message },
        );
      log('The server does not return run details (GitHub Enterprise Server 3.20 or older): finding the run by its distinct_id.');
    }
  }
  return dispatchAndCorrelate(client, target, inputs, options);
}

async function dispatchAndCorrelate(
  client: GitHubClient,
  target: DispatchTarget,
  inputs: Record<string, string>,
  options: DispatchOptions,
): Promise<DispatchResult> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => undefined);
  const definition = await readDefinition(client, target);
  const declared = definition && DISTINCT_ID_INPUT in definition.inputs;
  const distinctId = inputs[DISTINCT_ID_INPUT] || randomUUID();
  let sendId = declared !== false;
  if (sendId && !(DISTINCT_ID_INPUT in inputs) && Object.keys(inputs).length >= MAX_INPUTS)
    throw new DispatchError(
      'invalid-inputs',
      `${MAX_INPUTS} inputs given: no room for distinct_id (GitHub accepts at most ${MAX_INPUTS}); pass fewer.`,
    );
  const since = clock.now();
  try {
    await post(client, target, sendId ? { ...inputs, [DISTINCT_ID_INPUT]: distinctId } : inputs, false);
  } catch (error) {
    // The workflow file could not be read: the 422 tells whether it declares distinct_id; nothing was started.
    if (!(declared === undefined && rejectsDistinctId(error))) throw await explainDispatchFailure(client, target, error);
    sendId = false;
    try {
      await post(client, target, inputs, false);
    } catch (retryError) {
      throw await explainDispatchFailure(client, target, retryError);
    }
  }
  if (!sendId) {
    const page = await runsUrl(client, target, options.serverUrl);
    throw new DispatchError(
      'unidentified',
      `Dispatched ${target.workflow} on ${target.ref}, but the server gives no run details and the workflow declares no distinct_id input, so its run cannot be told apart from others: add a distinct_id input and \`run-name: ... \${{ inputs.distinct_id }}\` to the workflow; the runs are on ${page}.`,
      { dispatched: true, runsUrl: page },
    );
  }
  log(`Dispatched with distinct_id ${distinctId}; looking for its run.`);
  const run = await findRunByDistinctId(client, {
    ...target,
    distinctId,
    titleOnly: /inputs\.distinct_id/.test(definition?.runName ?? ''),
    since,
    timeoutMs: options.findTimeoutMs ?? 120_000,
    pollIntervalMs: options.findIntervalMs ?? 2_000,
    clock,
  });
  if (!run) {
    const page = await runsUrl(client, target, options.serverUrl);
    throw new DispatchError(
      'unidentified',
      `Dispatched ${target.workflow} on ${target.ref}, but no run carrying distinct_id ${distinctId} appeared within ${Math.round((options.findTimeoutMs ?? 120_000) / 1000)} s: make the workflow show it (\`run-name: ... \${{ inputs.distinct_id }}\`); the runs are on ${page}.`,
      { dispatched: true, runsUrl: page },
    );
  }
  return { ...(await describeRun(client, target, run.id, run.html_url, 'correlation')), distinctId };
}

/** The workflow on the ref; undefined when it cannot be read (then the dispatch's 422 tells whether distinct_id is declared). */
async function readDefinition(client: GitHubClient, target: DispatchTarget): Promise<WorkflowDefinition | undefined> {
  const path = await workflowPath(client, target, target.workflow);
  if (!path) return undefined;
  const read = await readFileOnRef(client, target, path, target.ref);
  return read.kind === 'file' ? parseWorkflowDefinition(read.text) : undefined;
}

function post(client: GitHubClient, target: DispatchTarget, inputs: Record<string, string>, returnRunDetails: boolean) {
  return client.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
    owner: target.owner,
    repo: target.repo,
    workflow_id: target.workflow,
    ref: target.ref,
    inputs,
    ...(returnRunDetails ? { return_run_details: true } : {}),
  });
}

/** Run number and status; the dispatch itself succeeded, so a failed read only leaves them out. */
async function describeRun(
  client: GitHubClient,
  target: DispatchTarget,
  runId: number,
  htmlUrl: string,
  method: DispatchResult['method'],
): Promise<DispatchResult> {
  const result: DispatchResult = { runId, runUrl: htmlUrl, method, owner: target.owner, repo: target.repo };
  try {
    const { data } = await client.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
      owner: target.owner,
      repo: target.repo,
      run_id: runId,
    });
    const run = data as { run_number: number; status: string | null; html_url: string };
    return { ...result, runUrl: run.html_url || htmlUrl, runNumber: run.run_number, ...(run.status ? { status: run.status } : {}) };
  } catch {
    return result;
  }
}

/** The workflow's runs page filtered to dispatches on the ref: where a user finds a run the API could not identify. */
export async function runsUrl(client: GitHubClient, target: DispatchTarget, serverUrl?: string): Promise<string> {
  let server = serverUrl?.replace(/\/+$/, '');
  let file = target.workflow.split('/').at(-1)!;
  try {
    const { data } = await client.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}', {
      owner: target.owner,
      repo: target.repo,
      workflow_id: target.workflow,
    });
    const w = data as { path: string; html_url: string };
    file = w.path.split('/').at(-1) ?? file;
    server ??= w.html_url.slice(0, w.html_url.indexOf(`/${target.owner}/${target.repo}/`));
  } catch {
    // The page is still useful with the name the caller gave.
  }
  const query = encodeURIComponent(`event:workflow_dispatch branch:${target.ref}`);
  const name = /^\d+$/.test(file) ? '' : `/workflows/${file}`;
  return `${server ?? 'https://github.com'}/${target.owner}/${target.repo}/actions${name}?query=${query}`;
}

export { WORKFLOWS_DIR };
