import * as core from '@actions/core';
import {
  describeProgress,
  dispatchWorkflow,
  DispatchError,
  failedJobs,
  isSuccessful,
  waitForRun,
  type DispatchResult,
} from '@pipeline-actions/dispatch';
import { InputErrors, readRunContext, runStep, UserError, writeSummary } from '@pipeline-actions/kit';
import { createOctokit } from '@pipeline-actions/kit/github';
import { getInputs, type Inputs } from './inputs.js';
import { renderSummary, type Dispatched } from './report.js';

// Without run details the run is looked for this long at most (or the wait timeout, when shorter).
const MAX_FIND_MS = 120_000;

/** The entry point, as GitHub's action template and `@github/local-action` expect it. */
export async function run(): Promise<void> {
  await runStep(main);
}

export async function main(): Promise<void> {
  let inputs: Inputs;
  try {
    inputs = getInputs();
  } catch (error) {
    if (error instanceof InputErrors)
      await writeSummary(
        `**Dispatch:** nothing dispatched: ${error.errors.map((e) => `\`${e.input}\``).join(', ')} invalid; see the errors in the log.`,
      );
    throw error;
  }
  const context = readRunContext();
  const octokit = createOctokit(inputs.token);
  const what: Dispatched = { workflow: inputs.workflow, ref: inputs.ref, repository: `${inputs.owner}/${inputs.repo}` };

  let result: DispatchResult;
  try {
    result = await dispatchWorkflow(octokit, {
      owner: inputs.owner,
      repo: inputs.repo,
      workflow: inputs.workflow,
      ref: inputs.ref,
      inputs: inputs.inputs,
      correlation: inputs.correlation,
      findTimeoutMs: Math.min(MAX_FIND_MS, inputs.waitTimeoutMs),
      findIntervalMs: Math.min(2_000, Math.max(250, inputs.pollIntervalMs)),
      serverUrl: context.serverUrl,
      log: (line) => core.info(line),
    });
  } catch (error) {
    await reportNotIdentified(error, inputs, what);
    return;
  }

  core.setOutput('run-id', String(result.runId));
  core.setOutput('run-url', result.runUrl);
  core.setOutput('run-number', result.runNumber === undefined ? '' : String(result.runNumber));
  core.setOutput('status', result.status ?? '');
  core.setOutput('method', result.method);
  core.setOutput('conclusion', '');
  core.info(`Run: ${result.runUrl}`);
  core.info(
    `Dispatched ${inputs.workflow} on ${inputs.ref}: run #${result.runNumber ?? '?'} (id ${result.runId}, identified by ${result.method}).`,
  );
  if (!inputs.wait) {
    await writeSummary(renderSummary(what, result));
    return;
  }

  const waited = await waitForRun(
    octokit,
    { owner: inputs.owner, repo: inputs.repo, runId: result.runId },
    { timeoutMs: inputs.waitTimeoutMs, pollIntervalMs: inputs.pollIntervalMs },
    (progress) => core.info(`Run #${progress.runNumber} ${describeProgress(progress)}`),
  );
  core.setOutput('status', waited.status);
  core.setOutput('conclusion', waited.timedOut ? '' : (waited.conclusion ?? ''));
  await writeSummary(renderSummary(what, result, waited));

  const minutes = `${inputs.waitTimeoutMs / 60_000} minute${inputs.waitTimeoutMs === 60_000 ? '' : 's'}`;
  let problem: string | undefined;
  if (waited.timedOut && waited.neverStarted)
    problem = `Run #${waited.runNumber} never started within ${minutes} (still ${waited.status}): check that a runner matches its runs-on labels and that no concurrency group holds it, or raise wait-timeout-minutes; ${waited.runUrl}`;
  else if (waited.timedOut)
    problem = `Run #${waited.runNumber} did not complete within ${minutes} (last status ${waited.status}): raise wait-timeout-minutes or follow it on ${waited.runUrl}`;
  else if (!isSuccessful(waited.conclusion)) {
    for (const job of failedJobs(waited.jobs))
      core.error(`Job '${job.name}' of run #${waited.runNumber} ended ${job.conclusion}: ${job.htmlUrl ?? waited.runUrl}`);
    problem = `Run #${waited.runNumber} of ${inputs.workflow} concluded ${waited.conclusion ?? 'without a conclusion'}: ${waited.runUrl}`;
  } else {
    core.info(`Run #${waited.runNumber} concluded ${waited.conclusion}.`);
  }
  if (!problem) return;
  if (inputs.failOnConclusion) throw new UserError(problem);
  core.warning(`${problem} (the step passes because fail-on-conclusion is false).`);
}

/** A dispatched run that could not be identified: the runs page as the output, never a guess. Anything else is rethrown. */
async function reportNotIdentified(error: unknown, inputs: Inputs, what: Dispatched): Promise<void> {
  if (!(error instanceof DispatchError && error.kind === 'unidentified' && error.details.dispatched)) {
    const reason = error instanceof Error ? error.message : String(error);
    await writeSummary(`**Dispatch:** ${what.workflow} on ${what.ref} in ${what.repository} was not dispatched: ${reason}`);
    throw error;
  }
  core.setOutput('run-id', '');
  core.setOutput('run-url', error.details.runsUrl ?? '');
  core.setOutput('run-number', '');
  core.setOutput('status', '');
  core.setOutput('conclusion', '');
  core.setOutput('method', 'correlation');
  await writeSummary(
    `**Dispatch:** ${what.workflow} on ${what.ref} was dispatched, but its run could not be identified: see ${error.details.runsUrl}.`,
  );
  if (inputs.wait) throw new UserError(`${error.message} Cannot wait for an unidentified run.`);
  core.warning(error.message);
}
