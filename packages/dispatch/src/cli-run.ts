import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createOctokit } from '@pipeline-actions/kit/github';
import type { GitHubClient } from './client.js';
import { dispatchWorkflow, type CorrelationMode, type DispatchResult } from './dispatch.js';
import { DispatchError } from './errors.js';
import { describeProgress, duration, failedJobs, isSuccessful, waitForRun, type WaitResult } from './wait.js';

export const USAGE = `Usage: pnpm dispatch <workflow> [-f key=value ...] [--ref REF] [--repo OWNER/NAME] [--wait]
                     [--wait-timeout-minutes N] [--poll-interval-seconds N] [--correlation auto|run-details|distinct-id] [--json]

Dispatches a workflow_dispatch run and prints exactly the run it started.
  <workflow>                  file name in .github/workflows (promote-qa.yml) or workflow id
  -f, --field key=value       a workflow input (repeat for more)
  --ref REF                   branch or tag (default: the repository's default branch)
  --repo OWNER/NAME           repository (default: GITHUB_REPOSITORY, else the origin remote)
  --wait                      follow the run to its conclusion; exit 1 unless it succeeds
  --wait-timeout-minutes N    give up waiting after N minutes (default 60)
  --poll-interval-seconds N   first pause between polls (default 5; grows while nothing changes)
  --json                      print one JSON object on stdout (progress goes to stderr)
Environment: GITHUB_TOKEN or GH_TOKEN (actions: write), GITHUB_API_URL (GitHub Enterprise Server: https://HOST/api/v3).`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

interface CliOptions {
  workflow: string;
  inputs: Record<string, string>;
  ref?: string;
  repo?: string;
  wait: boolean;
  waitTimeoutMs: number;
  pollIntervalMs: number;
  correlation: CorrelationMode;
  json: boolean;
}

class UsageError extends Error {}

/** Runs the CLI; returns the exit code (0 done, 1 failed dispatch or run, 2 usage). */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo,
  makeClient?: (token: string) => GitHubClient,
): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCli(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!token) {
    io.err('No token: set GITHUB_TOKEN or GH_TOKEN to a token with actions: write (e.g. GH_TOKEN=$(gh auth token)).');
    return 2;
  }
  const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  const client = makeClient?.(token) ?? createOctokit(token, { baseUrl: apiUrl });
  const say = (line: string) => io.err(line);
  try {
    const [owner, repo] = (options.repo ?? env.GITHUB_REPOSITORY ?? originRepository() ?? '').split('/');
    if (!owner || !repo) throw new UsageError('No repository: pass --repo OWNER/NAME (or set GITHUB_REPOSITORY).');
    const ref = options.ref ?? (await defaultBranch(client, owner, repo));
    const result = await dispatchWorkflow(client, {
      owner,
      repo,
      workflow: options.workflow,
      ref,
      inputs: options.inputs,
      correlation: options.correlation,
      serverUrl: env.GITHUB_SERVER_URL || undefined,
      log: say,
    });
    say(`Run: ${result.runUrl}`);
    say(`Dispatched ${options.workflow} on ${ref}: run #${result.runNumber ?? '?'} (id ${result.runId}, identified by ${result.method}).`);
    if (!options.wait) {
      if (options.json) io.out(JSON.stringify(resultJson(result)));
      else io.out(result.runUrl);
      return 0;
    }
    const waited = await waitForRun(
      client,
      { owner, repo, runId: result.runId },
      { timeoutMs: options.waitTimeoutMs, pollIntervalMs: options.pollIntervalMs },
      (p) => say(`Run #${p.runNumber} ${describeProgress(p)}`),
    );
    for (const job of waited.jobs)
      say(`  ${job.name}: ${job.conclusion ?? job.status} ${duration(job.startedAt, job.completedAt)}`.trimEnd());
    for (const job of failedJobs(waited.jobs)) say(`Job '${job.name}' ended ${job.conclusion}: ${job.htmlUrl ?? waited.runUrl}`);
    if (waited.timedOut)
      say(
        `Run #${waited.runNumber} ${waited.neverStarted ? 'never started' : 'did not complete'} within ${options.waitTimeoutMs / 60_000} minutes (still ${waited.status}).`,
      );
    if (options.json) io.out(JSON.stringify(resultJson(result, waited)));
    else io.out(`${waited.runUrl} ${waited.timedOut ? `timed out (${waited.status})` : waited.conclusion}`);
    return !waited.timedOut && isSuccessful(waited.conclusion) ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      return 2;
    }
    const kind = error instanceof DispatchError ? error.kind : 'error';
    io.err(`Error (${kind}): ${(error as Error).message ?? String(error)}`);
    if (options.json)
      io.out(
        JSON.stringify({
          error: { kind, message: (error as Error).message, ...(error instanceof DispatchError ? { details: error.details } : {}) },
        }),
      );
    return 1;
  }
}

function resultJson(result: DispatchResult, waited?: WaitResult) {
  return {
    runId: result.runId,
    runUrl: result.runUrl,
    runNumber: result.runNumber ?? null,
    method: result.method,
    status: waited?.status ?? result.status ?? null,
    ...(waited
      ? {
          conclusion: waited.timedOut ? null : waited.conclusion,
          timedOut: waited.timedOut,
          jobs: waited.jobs.map((j) => ({ name: j.name, conclusion: j.conclusion, url: j.htmlUrl })),
        }
      : {}),
  };
}

export function parseCli(argv: string[]): CliOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      field: { type: 'string', short: 'f', multiple: true },
      ref: { type: 'string' },
      repo: { type: 'string' },
      wait: { type: 'boolean', default: false },
      'wait-timeout-minutes': { type: 'string', default: '60' },
      'poll-interval-seconds': { type: 'string', default: '5' },
      correlation: { type: 'string', default: 'auto' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { workflow: '', inputs: {}, wait: false, waitTimeoutMs: 0, pollIntervalMs: 0, correlation: 'auto', json: false };
  if (positionals.length !== 1)
    throw new UsageError(`Expected one workflow (a file name such as promote-qa.yml, or an id), got ${positionals.length}.`);
  const inputs: Record<string, string> = {};
  for (const field of values.field ?? []) {
    const at = field.indexOf('=');
    if (at <= 0) throw new UsageError(`-f '${field}' is not key=value.`);
    inputs[field.slice(0, at)] = field.slice(at + 1);
  }
  if (values.repo !== undefined && !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(values.repo))
    throw new UsageError(`--repo '${values.repo}' is not OWNER/NAME.`);
  const correlation = values.correlation as CorrelationMode;
  if (!['auto', 'run-details', 'distinct-id'].includes(correlation))
    throw new UsageError(`--correlation '${values.correlation}' is not one of auto, run-details, distinct-id.`);
  return {
    workflow: positionals[0],
    inputs,
    ...(values.ref ? { ref: values.ref } : {}),
    ...(values.repo ? { repo: values.repo } : {}),
    wait: values.wait,
    waitTimeoutMs: positiveNumber('--wait-timeout-minutes', values['wait-timeout-minutes']) * 60_000,
    pollIntervalMs: positiveNumber('--poll-interval-seconds', values['poll-interval-seconds']) * 1000,
    correlation,
    json: values.json,
  };
}

function positiveNumber(name: string, text: string): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || n <= 0) throw new UsageError(`${name} '${text}' is not a positive number.`);
  return n;
}

async function defaultBranch(client: GitHubClient, owner: string, repo: string): Promise<string> {
  const { data } = await client.request('GET /repos/{owner}/{repo}', { owner, repo });
  return (data as { default_branch: string }).default_branch;
}

/** owner/name of the `origin` remote when it is on GitHub (git@host:o/r.git or https://host/o/r). */
function originRepository(): string | undefined {
  try {
    const url = execFileSync('git', ['config', '--get', 'remote.origin.url'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return /[:/]([^/:]+\/[^/]+?)(\.git)?$/.exec(url)?.[1];
  } catch {
    return undefined;
  }
}
