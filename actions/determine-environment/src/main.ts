import { existsSync, readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { errorMessage, readEvent, readRunContext, runStep, type RunContext, UserErrors, writeSummary } from '@pipeline-actions/kit';
import { scheduleDrift, workflowCrons, workflowFilePath } from './drift.js';
import { getInputs, type Inputs } from './inputs.js';
import { resolveEnvironment, type Resolution } from './resolve.js';

/** The entry point, as GitHub's action template and `@github/local-action` expect it. */
export async function run(): Promise<void> {
  await runStep(main);
}

export async function main(): Promise<void> {
  const inputs = getInputs();
  const context = readRunContext();
  checkScheduleDrift(inputs, context);
  const resolution = resolveEnvironment({ eventName: context.eventName, ref: context.ref, sha: context.sha, payload: readEvent() }, inputs);
  for (const note of resolution.notes) core.debug(note);
  setOutputs(resolution);
  await writeSummary(renderSummary(resolution));
}

/** Fails when the workflow schedules a cron that `schedules` does not map: that run would fail later, at night. */
function checkScheduleDrift(inputs: Inputs, context: RunContext): void {
  if (!inputs.driftCheck) {
    core.debug("Skipped the schedule drift check: 'drift-check' is false.");
    return;
  }
  const path = workflowFilePath(context.workflowRef, context.workspace);
  if (!path || !existsSync(path)) {
    core.debug(
      `Skipped the schedule drift check: the workflow file named by GITHUB_WORKFLOW_REF '${context.workflowRef}' is not in the workspace.`,
    );
    return;
  }
  const file = path.slice(context.workspace.length).replace(/^[\\/]+/, '');
  let crons: string[];
  try {
    crons = workflowCrons(readFileSync(path, 'utf8'));
  } catch (error) {
    core.warning(`Skipped the schedule drift check: ${file} could not be parsed (${errorMessage(error).split('\n')[0]}).`);
    return;
  }
  const drift = scheduleDrift(crons, inputs.schedules);
  const mapped = inputs.schedules.map((s) => `'${s.pattern}'`).join(', ') || 'none';
  for (const rule of drift.stale) {
    core.warning(`Input 'schedules': line ${rule.line} maps cron '${rule.pattern}', which ${file} no longer schedules.`);
  }
  if (drift.unmapped.length > 0) {
    throw new UserErrors(
      drift.unmapped.map(
        (cron) =>
          `Input 'schedules': ${file} schedules cron '${cron}', which 'schedules' does not map (mapped crons: ${mapped}): add a line '${cron} => ENVIRONMENT'.`,
      ),
    );
  }
  core.debug(`Schedule drift check: all ${crons.length} cron(s) of ${file} are mapped.`);
}

function setOutputs(r: Resolution): void {
  const outputs: Record<string, string> = {
    environment: r.environment,
    trigger: r.trigger,
    'is-scheduled': String(r.isScheduled),
    reason: r.reason,
    values: JSON.stringify(r.values),
    'ref-name': r.refName,
    sha: r.sha,
    'short-sha': r.shortSha,
    'pr-number': r.prNumber,
    command: r.command,
    'command-args': r.commandArgs,
    'should-run': String(r.shouldRun),
  };
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}

export function renderSummary(r: Resolution): string {
  const command = r.command ? ` · command \`${r.command}${r.commandArgs ? ` ${r.commandArgs}` : ''}\`` : '';
  return [
    `- **Environment:** ${r.environment ? `\`${r.environment}\`` : '(none)'}${r.shouldRun ? '' : ' · should-run: false'}`,
    `- **Trigger:** ${r.trigger}${command}`,
    `- **Reason:** ${r.reason}`,
  ].join('\n');
}
