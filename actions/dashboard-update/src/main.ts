import { randomBytes } from 'node:crypto';
import * as core from '@actions/core';
import { errorMessage, readEvent, readRunContext, runStep, runUrl, UserError, writeSummary } from '@pipeline-actions/kit';
import { createOctokit, httpStatus } from '@pipeline-actions/kit/github';
import { commitCommentStore, issueCommentStore, resolveIdentity } from './comments.js';
import { syncDashboard, type DashboardResult } from './dashboard.js';
import { getInputs, type Inputs } from './inputs.js';
import { shortSha, summaryMarkdown } from './render.js';
import type { StageUpdate } from './state.js';
import { STATUS_EMOJI } from './status.js';
import { pullLookup, readEventInfo, resolvePlacement } from './target.js';

/** The entry point, as GitHub's action template and `@github/local-action` expect it. */
export async function run(): Promise<void> {
  await runStep(main);
}

export async function main(): Promise<void> {
  const inputs = getInputs();
  const ctx = readRunContext();
  const event = readEvent();
  const info = readEventInfo(ctx.eventName, event);
  const octokit = createOctokit(inputs.token);
  const outputs = { 'comment-id': '', 'comment-url': '', created: 'false', 'pr-number': '', sha: '' };
  const problems: string[] = [];
  let summary = '';

  try {
    const placement = await resolvePlacement(
      { target: inputs.target, prNumber: inputs.prNumber, sha: inputs.sha, runSha: ctx.sha },
      info,
      pullLookup(octokit, ctx.owner, ctx.repo, core.debug),
    );
    if ('error' in placement) throw new UserError(placement.error);
    if (placement.prNumber !== undefined && placement.kind === 'issue') outputs['pr-number'] = String(placement.prNumber);
    const sha = placement.kind === 'commit' ? await placement.resolveSha() : placement.knownSha;
    const store =
      placement.kind === 'issue'
        ? issueCommentStore(octokit, ctx.owner, ctx.repo, placement.prNumber!)
        : commitCommentStore(octokit, ctx.owner, ctx.repo, sha!);

    const update: StageUpdate | undefined =
      inputs.stage && inputs.status
        ? {
            key: inputs.stage,
            ...(inputs.stageName ? { name: inputs.stageName } : {}),
            status: inputs.status,
            link: inputs.link ?? runUrl(ctx),
            ...(inputs.output ? { output: inputs.output } : {}),
            run: Number(ctx.runId) || 0,
            attempt: ctx.runAttempt,
            at: new Date().toISOString(),
            w: randomBytes(6).toString('base64url'),
          }
        : undefined;

    const result = await syncDashboard(
      {
        mode: inputs.mode,
        marker: inputs.marker,
        title: inputs.title,
        sha,
        stages: inputs.stages,
        update,
        ref: { run: Number(ctx.runId) || 0, attempt: ctx.runAttempt, at: new Date().toISOString() },
        commentId: inputs.commentId,
      },
      {
        store,
        identity: () => resolveIdentity(octokit, inputs.token),
        resolveSha: placement.resolveSha,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        random: Math.random,
        now: Date.now,
        log: { info: core.info, notice: core.notice, debug: core.debug },
      },
    );
    outputs.sha = result.sha;
    if (result.comment) {
      outputs['comment-id'] = String(result.comment.id);
      outputs['comment-url'] = result.comment.url;
    }
    outputs.created = String(result.created);
    summary = describe(result, inputs, placement.kind);
    if (result.outcome === 'stale' && update) {
      core.notice(
        `Ignored the update of stage '${update.key}' from run ${update.run} attempt ${update.attempt}: the dashboard already holds run ${result.recorded?.run} attempt ${result.recorded?.attempt} for it.`,
      );
    }

    if (result.outcome === 'forbidden') {
      problems.push(forbiddenMessage(result.error, placement.kind));
    } else if (inputs.mode === 'init' && inputs.react && ctx.eventName === 'issue_comment' && info.commentId !== undefined) {
      try {
        await octokit.rest.reactions.createForIssueComment({
          owner: ctx.owner,
          repo: ctx.repo,
          comment_id: info.commentId,
          content: 'eyes',
        });
      } catch (error) {
        problems.push(
          httpStatus(error) === 403
            ? `Could not add the 👀 reaction to comment ${info.commentId}: the token lacks 'issues: write' (or 'pull-requests: write') permission.`
            : `Could not add the 👀 reaction to comment ${info.commentId}: ${describeError(error)}`,
        );
      }
    }
  } catch (error) {
    if (error instanceof Error && (error.name === 'InputErrors' || error.name === 'InputError')) throw error;
    problems.push(`The dashboard was not updated: ${describeError(error)}`);
  }

  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
  if (summary) await writeSummary(summary);
  if (problems.length === 0) return;
  if (inputs.failOnError) throw new UserError(problems.join(' '));
  for (const problem of problems) core.warning(problem);
}

function describe(result: DashboardResult, inputs: Inputs, kind: 'issue' | 'commit'): string {
  const where = kind === 'issue' ? 'pull request' : 'commit';
  const stage =
    inputs.stage && inputs.status
      ? `stage \`${inputs.stage}\` → ${STATUS_EMOJI[inputs.status]} ${inputs.status}`
      : `${inputs.stages.length} stages`;
  const link = result.comment ? `[comment ${result.comment.id}](${result.comment.url})` : 'no comment';
  let line: string;
  switch (result.outcome) {
    case 'written':
      line = `${result.created ? 'Created' : 'Updated'} the ${where} dashboard of \`${shortSha(result.sha)}\` (${stage}): ${link}, ${result.attempts} attempt(s).`;
      break;
    case 'unchanged':
      line = `The ${where} dashboard of \`${shortSha(result.sha)}\` already showed ${stage}: ${link}.`;
      break;
    case 'stale': {
      const r = result.recorded;
      line = `Ignored ${stage}: the dashboard already holds run ${r?.run} attempt ${r?.attempt} for it, newer than this run.`;
      break;
    }
    case 'forbidden':
      line = `The token may not write comments, so the dashboard of \`${shortSha(result.sha)}\` is shown here instead of on the ${where}:`;
      break;
  }
  return `### ${inputs.title}\n\n${line}\n\n${summaryMarkdown(result.body)}\n`;
}

function forbiddenMessage(error: unknown, kind: 'issue' | 'commit'): string {
  const permission = kind === 'issue' ? "'pull-requests: write' (or 'issues: write')" : "'contents: write'";
  return `The token cannot write the dashboard comment (${describeError(error)}). Grant the job ${permission} in its permissions; fork pull requests get a read-only token, so the dashboard was written to the job summary instead.`;
}

function describeError(error: unknown): string {
  const status = httpStatus(error);
  const message = errorMessage(error)
    .split('\n')[0]
    .replace(/ - https:\/\/docs\.github\.com\S*/, '');
  return status ? `HTTP ${status}: ${message}` : message;
}
