import { shortSha, UserError, UserErrors } from '@pipeline-actions/kit';
import { effectiveLevel, isFork, PERSON_EVENTS, permissionRefusal, pullRequestRefusal } from './gate.js';
import type { GitHubReader } from './github-api.js';
import type { Inputs } from './inputs.js';
import { requirementProblems } from './requires.js';
import type { Resolution } from './resolve.js';

export interface GuardContext {
  /** The event name the resolution used (after the `event` input). */
  eventName: string;
  ref: string;
  repository: string;
  payload: Record<string, unknown>;
  workflowFile: string;
  /** Creates the API reader on first use, so runs that need no API make no call and need no token. */
  github: () => Promise<GitHubReader>;
  warn: (message: string) => void;
}

export interface Guarded {
  resolution: Resolution;
  /** A refusal worth a notice (the comment tried a command); '' otherwise. */
  notice: string;
}

/**
 * The checks that need the API or the resolved environment, in the order that reads least:
 * the actor's permission, the pull request behind a comment (its head, fork and state), then `requires`.
 * A refusal turns should-run off; a missing requirement fails closed (throws).
 */
export async function guardResolution(resolved: Resolution, inputs: Inputs, ctx: GuardContext): Promise<Guarded> {
  const r: Resolution = { ...resolved };
  let reader: GitHubReader | undefined;
  const api = async (): Promise<GitHubReader> => (reader ??= await ctx.github());
  const where =
    r.trigger === 'comment' ? `Comment on ${r.prNumber ? `pull request #${r.prNumber}` : 'an issue'}` : `Event '${ctx.eventName}'`;
  const commandRefused = !r.shouldRun;
  const refuse = (why: string): void => {
    r.shouldRun = false;
    r.command = '';
    r.commandArgs = '';
    r.reason = `${where} is refused: ${why}`;
  };

  if (r.shouldRun && PERSON_EVENTS.has(ctx.eventName) && inputs.allowedPermission !== 'none') {
    if (!r.actor) {
      refuse('the event names no actor (comment.user / sender), so its permission cannot be checked.');
    } else {
      const level = effectiveLevel(await (await api()).permission(r.actor));
      r.actorPermission = level;
      const why = permissionRefusal(r.actor, level, inputs.allowedPermission);
      if (why) refuse(why);
    }
  }

  if (r.shouldRun && r.trigger === 'comment' && r.prNumber) {
    const pull = await (await api()).pull(Number(r.prNumber));
    Object.assign(r, {
      headSha: pull.headSha,
      headRef: pull.headRef,
      headRepo: pull.headRepo,
      isFork: String(isFork(pull, ctx.repository)),
      prState: pull.state,
      baseRef: pull.baseRef,
      sha: pull.headSha,
      shortSha: shortSha(pull.headSha),
      refName: pull.headRef,
    });
    const why = r.command && inputs.forks === 'refuse' ? pullRequestRefusal(pull, ctx.repository) : '';
    if (why) refuse(why);
  }

  if (r.shouldRun && r.environment) {
    const problems = requirementProblems(r.environment, inputs.requires[r.environment], {
      eventName: ctx.eventName,
      ref: ctx.ref,
      payload: ctx.payload,
      inputs: inputs.runInputs,
      workflowFile: ctx.workflowFile,
      repository: ctx.repository,
    });
    if (problems.length > 0) throw new UserErrors(problems);
  }

  const refused = !r.shouldRun && r.commandAttempted;
  if (refused && r.commentId > 0 && inputs.refusalReaction !== 'none') {
    try {
      await (await api()).reactToComment(r.commentId, inputs.refusalReaction);
    } catch (error) {
      ctx.warn(
        `Could not add a ${inputs.refusalReaction} reaction to comment ${r.commentId} (${(error as Error).message.split('\n')[0]}): the job's token needs 'pull-requests: write', or set 'refusal-reaction: none'.`,
      );
    }
  }
  if (refused && commandRefused && inputs.refuseUnknown === 'fail') throw new UserError(r.reason);
  return { resolution: r, notice: refused ? r.reason : '' };
}
