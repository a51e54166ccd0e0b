import { existsSync, readFileSync } from 'node:fs';
import * as core from '@actions/core';
import {
  errorMessage,
  readEvent,
  readRunContext,
  runStep,
  type RunContext,
  UserError,
  UserErrors,
  writeSummary,
} from '@pipeline-actions/kit';
import { shown } from './command.js';
import { driftReport, workflowFileName, workflowFilePath, workflowTriggers, type WorkflowTriggers } from './drift.js';
import { createGitHubReader } from './github-api.js';
import { guardResolution } from './guard.js';
import { getInputs, type Inputs } from './inputs.js';
import { effectiveEventName, resolveEnvironment, type Resolution } from './resolve.js';

/** The entry point, as GitHub's action template and `@github/local-action` expect it. */
export async function run(): Promise<void> {
  await runStep(main);
}

export async function main(): Promise<void> {
  const inputs = getInputs();
  const context = readRunContext();
  checkDrift(inputs, context);
  const payload = readEvent();
  const resolved = resolveEnvironment({ eventName: context.eventName, ref: context.ref, sha: context.sha, payload }, inputs);
  const { resolution, notice } = await guardResolution(resolved, inputs, {
    eventName: effectiveEventName(context.eventName, inputs),
    ref: context.ref || (typeof payload.ref === 'string' ? payload.ref : ''),
    repository: context.repository,
    payload,
    workflowFile: workflowFileName(context.workflowRef),
    github: async () => {
      if (!inputs.token) {
        throw new UserError(
          "Input 'token' is empty: the permission check and the pull request lookup read the GitHub API; pass 'token: ${{ github.token }}' (permissions: metadata: read, pull-requests: read).",
        );
      }
      return createGitHubReader(inputs.token, context.repository);
    },
    warn: (message) => core.warning(message),
  });
  for (const note of resolution.notes) core.debug(note);
  if (notice) core.notice(notice);
  setOutputs(resolution);
  await writeSummary(renderSummary(resolution));
}

/**
 * Compares the workflow file with the mapping: a cron, push branch or tag it does not map, or a dispatch
 * option outside `allowed`, fails now instead of on the night or push that would use it.
 */
function checkDrift(inputs: Inputs, context: RunContext): void {
  if (inputs.driftCheck === 'off') {
    core.debug("Skipped the drift check: 'drift-check' is off.");
    return;
  }
  const path = workflowFilePath(context.workflowRef, context.workspace);
  if (!path || !existsSync(path)) {
    const why = `the workflow file named by GITHUB_WORKFLOW_REF '${context.workflowRef}' is not in the workspace`;
    if (inputs.driftCheck === 'require') {
      throw new UserError(
        `Input 'drift-check': is 'require', but ${why}: check it out first (actions/checkout with 'sparse-checkout: .github/workflows'), or set 'drift-check: auto'.`,
      );
    }
    core.debug(`Skipped the drift check: ${why}.`);
    return;
  }
  const file = path.slice(context.workspace.length).replace(/^[\\/]+/, '');
  let triggers: WorkflowTriggers;
  try {
    triggers = workflowTriggers(readFileSync(path, 'utf8'));
  } catch (error) {
    const message = `${file} could not be parsed (${errorMessage(error).split('\n')[0]})`;
    if (inputs.driftCheck === 'require') throw new UserError(`Input 'drift-check': is 'require', but ${message}.`);
    core.warning(`Skipped the drift check: ${message}.`);
    return;
  }
  const report = driftReport(triggers, inputs, file);
  for (const warning of report.warnings) core.warning(warning);
  if (report.errors.length > 0) throw new UserErrors(report.errors);
  core.debug(`Drift check: all ${triggers.crons.length} cron(s) and the push and dispatch triggers of ${file} are mapped.`);
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
    'actor-permission': r.actorPermission,
    'head-sha': r.headSha,
    'head-ref': r.headRef,
    'head-repo': r.headRepo,
    'is-fork': r.isFork,
    'pr-state': r.prState,
    'base-ref': r.baseRef,
  };
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}

export function renderSummary(r: Resolution): string {
  const command = r.command ? ` · command \`${r.command}${r.commandArgs ? ` ${r.commandArgs}` : ''}\`` : '';
  return [
    `- **Environment:** ${r.environment ? `\`${r.environment}\`` : '(none)'}${r.shouldRun ? '' : ' · should-run: false'}`,
    `- **Trigger:** ${r.trigger}${command}`,
    `- **Reason:** ${r.reason}`,
    ...(r.headSha
      ? [
          `- **Pull request:** #${r.prNumber} head \`${r.headSha.slice(0, 7)}\` on \`${shown(r.headRef, 80)}\` (${r.prState}, ${r.isFork === 'true' ? `fork ${shown(r.headRepo, 80) || '(deleted)'}` : 'same repository'}) into \`${r.baseRef}\``,
        ]
      : []),
    ...(r.actorPermission ? [`- **Actor:** ${r.actor} (${r.actorPermission})`] : []),
  ].join('\n');
}
