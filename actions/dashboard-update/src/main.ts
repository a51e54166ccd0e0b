import * as core from '@actions/core';
import { errorMessage, readEvent, readRunContext, runStep, runUrl, UserError, writeSummary } from '@pipeline-actions/kit';
import { ApiFailure, apiFailure } from './api-error.js';
import { checkRunRecordStore } from './check-records.js';
import { commentRecordStore } from './comment-records.js';
import { commitCommentStore, issueCommentStore, minimizeOutdated, resolveIdentity, type CommentStore } from './comments.js';
import { DEFAULT_STAGES, getInputs, type Inputs } from './inputs.js';
import { createDashboardOctokit } from './octokit.js';
import type { RecordStore } from './records.js';
import { cutText, MAX_NAME, MAX_TITLE, readCache, shortSha, summaryMarkdown } from './render.js';
import { STATUS_EMOJI } from './status.js';
import { statusRecordStore } from './status-records.js';
import { syncDashboard, type SyncRequest, type SyncResult } from './sync.js';
import { pullLookup, readEventInfo, resolvePlacement } from './target.js';
import type { DashboardView } from './view.js';
import { WriteQueue } from './write-queue.js';

/** The entry point, as GitHub's action template and `@github/local-action` expect it. */
export async function run(): Promise<void> {
  await runStep(main);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function main(): Promise<void> {
  const inputs = getInputs();
  const ctx = readRunContext();
  const event = readEvent();
  const info = readEventInfo(ctx.eventName, event);
  const octokit = createDashboardOctokit(inputs.token);
  const outputs = { 'comment-id': '', 'comment-url': '', created: 'false', 'pr-number': '', sha: '', stages: '[]' };
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
    const sha = placement.knownSha ?? (await placement.resolveSha());
    outputs.sha = sha;
    const comments: CommentStore =
      placement.kind === 'issue'
        ? issueCommentStore(octokit, ctx.owner, ctx.repo, placement.prNumber!)
        : commitCommentStore(octokit, ctx.owner, ctx.repo, sha);
    const runId = Number(ctx.runId) || 0;
    const link = runUrl(ctx);
    const title = cutInput('title', inputs.title, MAX_TITLE);
    const stageName = inputs.stageName && cutInput('stage-name', inputs.stageName, MAX_NAME);
    const request: SyncRequest = {
      mode: inputs.mode,
      marker: inputs.marker,
      title,
      sha,
      declared: inputs.mode === 'init' ? (inputs.stages.length > 0 ? inputs.stages : DEFAULT_STAGES) : [],
      reset: inputs.reset,
      run: runId,
      attempt: ctx.runAttempt,
      link,
      ...(inputs.stage && inputs.status
        ? {
            update: {
              key: inputs.stage,
              status: inputs.status,
              run: runId,
              attempt: ctx.runAttempt,
              link: inputs.link ?? link,
              ...(stageName ? { name: stageName } : {}),
              ...(inputs.output ? { output: inputs.output } : {}),
            },
          }
        : {}),
      ...(inputs.commentId !== undefined ? { commentId: inputs.commentId } : {}),
      minimizePrevious: inputs.minimizePrevious,
    };
    const queue = new WriteQueue(sleep, Date.now);
    const storeFor = (mode: Inputs['record']) => (current: () => { id: number } | undefined) => {
      if (mode === 'status') return statusRecordStore(octokit, ctx.owner, ctx.repo, sha, inputs.marker);
      if (mode === 'check-run') return checkRunRecordStore(octokit, ctx.owner, ctx.repo, sha, inputs.marker);
      return commentRecordStore(async () => {
        const c = current();
        const now = c ? await comments.get(c.id) : undefined;
        return (now && readCache(now.body, inputs.marker).records) ?? [];
      }, Date.now);
    };
    const deps = (mode: Inputs['record']) => ({
      comments,
      records: storeFor(mode) as (current: () => { id: number } | undefined) => RecordStore,
      identity: () => resolveIdentity(octokit, inputs.token),
      queue,
      minimize: (nodeId: string) => minimizeOutdated(octokit, nodeId),
      sleep,
      random: Math.random,
      log: { info: core.info, notice: core.notice, warning: core.warning, debug: core.debug },
    });

    let result: SyncResult;
    try {
      result = await syncDashboard(request, deps(inputs.record));
    } catch (error) {
      if (!(error instanceof ApiFailure) || !error.forbidden || inputs.record === 'none' || !isRecordCall(error)) throw error;
      const permission = inputs.record === 'status' ? 'statuses: write' : 'checks: write';
      core.warning(
        `The token cannot write the stage records (${error.message}). Grant the job '${permission}'. Fell back to comment-only mode: jobs that update the dashboard at the same time can now overwrite each other's rows, because GitHub has no conditional update for comments.`,
      );
      result = await syncDashboard(request, deps('none'));
    }

    if (result.comment) {
      outputs['comment-id'] = String(result.comment.id);
      outputs['comment-url'] = result.comment.url;
    }
    outputs.created = String(result.created);
    outputs.stages = JSON.stringify(stagesJson(result.view));
    summary = describe(result, inputs, placement.kind, sha);
    if (result.outcome === 'stale' && request.update) {
      core.notice(
        `Ignored the update of stage '${request.update.key}' from run ${request.update.run} attempt ${request.update.attempt}: the dashboard already holds run ${result.recorded?.run} attempt ${result.recorded?.attempt} for it.`,
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
        const failure = apiFailure(`POST /repos/${ctx.repository}/issues/comments/${info.commentId}/reactions`, error);
        problems.push(
          failure.forbidden
            ? `Could not add the 👀 reaction to comment ${info.commentId} (${failure.message}): the token lacks 'issues: write' (or 'pull-requests: write') permission.`
            : `Could not add the 👀 reaction to comment ${info.commentId}: ${failure.message}.`,
        );
      }
    }
  } catch (error) {
    if (error instanceof Error && (error.name === 'InputErrors' || error.name === 'InputError' || error.name === 'UserError')) throw error;
    problems.push(`The dashboard was not updated: ${errorMessage(error)}`);
  }

  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
  if (summary) await writeSummary(summary);
  if (problems.length === 0) return;
  if (inputs.failOnError) throw new UserError(problems.join(' '));
  for (const problem of problems) core.warning(problem);
}

/** Long titles and names are cut (GitHub would refuse the comment), with a note saying so. */
function cutInput(name: string, value: string, max: number): string {
  const length = [...value].length;
  if (length <= max) return value;
  core.notice(`Input '${name}' is ${length.toLocaleString('en-US')} characters long: cut to ${max}.`);
  return cutText(value, max);
}

function isRecordCall(error: ApiFailure): boolean {
  return /\/statuses\/|\/check-runs/.test(error.call);
}

function stagesJson(view: DashboardView) {
  return view.stages.map((s) => ({
    key: s.key,
    name: s.name,
    status: s.status,
    ...(s.record
      ? {
          run: s.record.run,
          attempt: s.record.attempt,
          at: s.record.at,
          ...(s.record.link ? { link: s.record.link } : {}),
          ...(s.record.output ? { output: s.record.output } : {}),
        }
      : {}),
  }));
}

function describe(result: SyncResult, inputs: Inputs, kind: 'issue' | 'commit', sha: string): string {
  const where = kind === 'issue' ? 'pull request' : 'commit';
  const stage =
    inputs.stage && inputs.status ? `stage \`${inputs.stage}\` → ${STATUS_EMOJI[inputs.status]} ${inputs.status}` : 'its stages';
  const link = result.comment ? `[comment ${result.comment.id}](${result.comment.url})` : 'no comment';
  let line: string;
  switch (result.outcome) {
    case 'written':
    case 'unchanged':
      line = `${result.created ? 'Created' : 'Updated'} the ${where} dashboard of \`${shortSha(sha)}\` (${stage}): ${link}, ${result.commentWrites} comment write(s) in ${result.rounds} round(s).`;
      break;
    case 'stale':
      line = `Ignored ${stage}: the dashboard already holds run ${result.recorded?.run} attempt ${result.recorded?.attempt} for it, newer than this run.`;
      break;
    case 'forbidden':
      line = `The token may not write comments, so the dashboard of \`${shortSha(sha)}\` is shown here instead of on the ${where}:`;
      break;
  }
  let text = `### ${inputs.title}\n\n${line}\n\n${summaryMarkdown(result.body)}\n`;
  // The full output goes to the job summary, where a dashboard too small for it links.
  if (inputs.output && inputs.stage) text += `\n#### Output of \`${inputs.stage}\`\n\n${inputs.output}\n`;
  return text;
}

function forbiddenMessage(error: ApiFailure | undefined, kind: 'issue' | 'commit'): string {
  const permission = kind === 'issue' ? "'pull-requests: write' (or 'issues: write')" : "'contents: write'";
  return `The token cannot write the dashboard comment (${error?.message ?? 'refused'}). Grant the job ${permission} in its permissions; fork pull requests get a read-only token, so the dashboard was written to the job summary instead.`;
}
