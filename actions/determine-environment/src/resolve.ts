import { UserError, isPlainObject, shortSha } from '@pipeline-actions/kit';
import { routeComment } from './command.js';
import { normaliseCron } from './cron.js';
import { ENVIRONMENT_FORM, ENVIRONMENT_NAME, type GlobRule, type Inputs } from './inputs.js';
import { matchingRule } from './rules.js';

export type Trigger = 'schedule' | 'manual' | 'push' | 'tag' | 'pull-request' | 'comment' | 'other';

/** What the runner tells a step about its run: GITHUB_EVENT_NAME, GITHUB_REF, GITHUB_SHA and the event payload. */
export interface RunEvent {
  eventName: string;
  ref: string;
  sha: string;
  payload: Record<string, unknown>;
}

export interface Resolution {
  environment: string;
  trigger: Trigger;
  isScheduled: boolean;
  /** One sentence: which rule decided and why. */
  reason: string;
  values: Record<string, unknown>;
  refName: string;
  sha: string;
  shortSha: string;
  prNumber: string;
  command: string;
  commandArgs: string;
  /** The comment's first line starts with the command prefix (a refusal gets a notice and a reaction). */
  commandAttempted: boolean;
  shouldRun: boolean;
  /** The pull request's head and base (pull request events and comments; '' otherwise). */
  headSha: string;
  headRef: string;
  headRepo: string;
  isFork: string;
  prState: string;
  baseRef: string;
  /** The actor's effective repository permission, '' when not checked. */
  actorPermission: string;
  /** Who caused the event (the commenter for comments), and the comment's id. */
  actor: string;
  commentId: number;
  /** Detail for the debug log. */
  notes: string[];
}

const MANUAL_EVENTS = new Set(['workflow_dispatch', 'workflow_call', 'repository_dispatch']);

export function classifyTrigger(eventName: string, ref: string): Trigger {
  if (eventName === 'schedule') return 'schedule';
  if (MANUAL_EVENTS.has(eventName)) return 'manual';
  if (eventName === 'push') return ref.startsWith('refs/tags/') ? 'tag' : 'push';
  if (eventName === 'pull_request' || eventName === 'pull_request_target') return 'pull-request';
  if (eventName === 'issue_comment') return 'comment';
  return 'other';
}

/** `refs/heads/x` and `refs/tags/x` give `x`; `refs/pull/7/merge` gives `7/merge`, as GITHUB_REF_NAME does. */
export function refName(ref: string): string {
  return ref.replace(/^refs\/(heads|tags|pull)\//, '');
}

type Choice = { environment: string; reason: string } | { failure: string };

/**
 * Resolves the run to an environment, fail-closed. Precedence: an explicit environment on a manual
 * trigger, then `schedules`, `tags`, `branches`, `pull-request`, then `default`.
 * Throws a UserError when no rule applies and the run would go ahead.
 */
export function resolveEnvironment(runEvent: RunEvent, inputs: Inputs): Resolution {
  const event = { ...runEvent, eventName: effectiveEventName(runEvent.eventName, inputs) };
  const payload = event.payload;
  const ref = event.ref || str(payload.ref);
  const trigger = classifyTrigger(event.eventName, ref);
  const pullRequest = obj(payload.pull_request);
  const issue = obj(payload.issue);
  const onPullRequest =
    trigger === 'pull-request' || (trigger === 'comment' && payload.issue !== undefined && isPlainObject(issue.pull_request));
  const prNumber =
    num(pullRequest.number) ||
    (onPullRequest ? num(issue.number) : '') ||
    (trigger === 'pull-request' ? (/^refs\/pull\/(\d+)\//.exec(ref)?.[1] ?? '') : '');
  const head = obj(pullRequest.head);
  const headRepo = str(obj(head.repo).full_name);
  const baseRepo = str(obj(obj(pullRequest.base).repo).full_name) || str(obj(payload.repository).full_name);
  // On pull request events the run's GITHUB_SHA is a merge commit; the head is what the author pushed.
  const sha = (trigger === 'pull-request' && str(head.sha)) || event.sha || str(payload.after);
  const comment = obj(payload.comment);

  const {
    command,
    args: commandArgs,
    refusal,
    attempted: commandAttempted,
  } = trigger === 'comment' && inputs.commands.size > 0
    ? routeComment(
        {
          action: str(payload.action) || 'created',
          number: num(issue.number),
          onPullRequest,
          body: str(obj(payload.comment).body),
        },
        inputs.commandPrefix,
        inputs.commands,
      )
    : { command: '', args: '', refusal: '', attempted: false };
  const shouldRun = refusal === '';

  const choice = chooseEnvironment(trigger, event, ref, inputs, { prNumber, onPullRequest });
  let environment = '';
  let reason: string;
  if ('failure' in choice) {
    if (shouldRun && !(trigger === 'comment' && routesCommandsOnly(inputs))) throw new UserError(choice.failure);
    reason =
      refusal ||
      `Comment on pull request #${prNumber} runs '${inputs.commandPrefix}${command}'; no environment is configured for comments.`;
  } else {
    environment = choice.environment;
    if (inputs.allowed.length > 0 && !inputs.allowed.includes(environment)) {
      throw new UserError(
        `The resolved environment '${environment}' is not one of the allowed environments: ${inputs.allowed.join(', ')} (${choice.reason})`,
      );
    }
    reason =
      refusal || (command ? `${choice.reason.replace(/\.$/, '')}; the comment runs '${inputs.commandPrefix}${command}'.` : choice.reason);
  }

  const notes: string[] = [];
  if (inputs.environment && trigger !== 'manual') {
    notes.push(
      `The 'environment' input '${inputs.environment}' was ignored: it applies to manual triggers only, and this run is '${event.eventName}'.`,
    );
  }
  return {
    environment,
    trigger,
    isScheduled: trigger === 'schedule',
    reason,
    values: (environment && inputs.values[environment]) || {},
    refName: trigger === 'pull-request' ? str(head.ref) || refName(ref) : refName(ref),
    sha,
    shortSha: shortSha(sha),
    prNumber,
    command,
    commandArgs,
    commandAttempted,
    shouldRun,
    headSha: trigger === 'pull-request' ? str(head.sha) : '',
    headRef: trigger === 'pull-request' ? str(head.ref) : '',
    headRepo: trigger === 'pull-request' ? headRepo : '',
    isFork: trigger === 'pull-request' && head.sha !== undefined ? String(headRepo.toLowerCase() !== baseRepo.toLowerCase()) : '',
    prState: trigger === 'pull-request' ? str(pullRequest.state) : '',
    baseRef: trigger === 'pull-request' ? str(obj(pullRequest.base).ref) : '',
    actorPermission: '',
    actor: str(obj(comment.user).login) || str(obj(payload.sender).login),
    commentId: typeof comment.id === 'number' ? comment.id : 0,
    notes,
  };
}

/**
 * In a reusable workflow GITHUB_EVENT_NAME is the caller's event: `event: workflow_call` makes the
 * `environment` input decide when the caller passed one, and the caller's event rules apply when it did not.
 */
export function effectiveEventName(eventName: string, inputs: Pick<Inputs, 'event' | 'environment'>): string {
  if (inputs.event === 'workflow_call') return inputs.environment ? 'workflow_call' : eventName;
  return inputs.event || eventName;
}

/** Only `commands` is set: the action routes comments and is not asked for an environment. */
function routesCommandsOnly(inputs: Inputs): boolean {
  return (
    inputs.commands.size > 0 &&
    !inputs.pullRequest &&
    !inputs.default &&
    inputs.schedules.length === 0 &&
    inputs.branches.length === 0 &&
    inputs.tags.length === 0
  );
}

function chooseEnvironment(
  trigger: Trigger,
  event: RunEvent,
  ref: string,
  inputs: Inputs,
  pr: { prNumber: string; onPullRequest: boolean },
): Choice {
  const orDefault = (what: string, failure: string): Choice =>
    inputs.default ? { environment: inputs.default, reason: `${what}; using the default '${inputs.default}'.` } : { failure };
  const payload = event.payload;

  switch (trigger) {
    case 'manual': {
      let environment = inputs.environment;
      let source = "the 'environment' input";
      if (!environment && event.eventName === 'repository_dispatch') {
        const asked = obj(payload.client_payload).environment;
        if (asked !== undefined && asked !== null && asked !== '') {
          if (typeof asked !== 'string' || !ENVIRONMENT_NAME.test(asked.trim())) {
            return {
              failure: `repository_dispatch client_payload.environment ${JSON.stringify(asked)} is not valid: expected ${ENVIRONMENT_FORM}.`,
            };
          }
          environment = asked.trim();
          source = 'client_payload.environment';
        }
      }
      if (environment) return { environment, reason: `Manual run (${event.eventName}) asked for '${environment}' through ${source}.` };
      const via =
        event.eventName === 'repository_dispatch' ? "the 'environment' input or client_payload.environment" : "the 'environment' input";
      return orDefault(
        `Manual run (${event.eventName}) named no environment`,
        `Manual run (${event.eventName}) named no environment and 'default' is empty: set ${via}${inputs.allowed.length > 0 ? ` to one of: ${inputs.allowed.join(', ')}` : ''}, or set 'default'.`,
      );
    }
    case 'schedule': {
      const cron = str(payload.schedule);
      const mapped = inputs.schedules.map((s) => `'${s.pattern}'`).join(', ') || 'none';
      if (!cron)
        return {
          failure: `The schedule event carries no cron (github.event.schedule is empty), so the schedule cannot be mapped (mapped crons: ${mapped}).`,
        };
      const rule = inputs.schedules.find((s) => s.cron === normaliseCron(cron));
      if (!rule) {
        // A scheduled run never falls back to `default`: a cron edited in the workflow but not here must fail loudly.
        return {
          failure: `Scheduled run with cron '${cron}' has no mapping in 'schedules' (mapped crons: ${mapped}): add a line '${cron} => ENVIRONMENT' to 'schedules'.`,
        };
      }
      return {
        environment: rule.environment,
        reason: `Scheduled run '${cron}' matches 'schedules' line ${rule.line} '${rule.pattern} => ${rule.environment}'.`,
      };
    }
    case 'tag':
      return matchRef('tags', 'Push of tag', refName(ref), inputs.tags, orDefault);
    case 'push':
      return matchRef('branches', 'Push to branch', refName(ref), inputs.branches, orDefault);
    case 'pull-request':
      if (inputs.pullRequest)
        return {
          environment: inputs.pullRequest,
          reason: `Pull request #${pr.prNumber} uses the 'pull-request' environment '${inputs.pullRequest}'.`,
        };
      return orDefault(
        `Pull request #${pr.prNumber} has no 'pull-request' environment`,
        `Pull request #${pr.prNumber} has no environment: 'pull-request' and 'default' are empty; set 'pull-request' (e.g. 'preview') or 'default'.`,
      );
    case 'comment': {
      const where = `${pr.onPullRequest ? 'pull request' : 'issue'} #${num(obj(payload.issue).number) || '?'}`;
      if (pr.onPullRequest && inputs.pullRequest) {
        return {
          environment: inputs.pullRequest,
          reason: `Comment on ${where} uses the 'pull-request' environment '${inputs.pullRequest}'.`,
        };
      }
      return orDefault(`Comment on ${where} matched no rule`, `Comment on ${where} has no environment: set 'pull-request' or 'default'.`);
    }
    default:
      return orDefault(
        `Event '${event.eventName || 'unknown'}' has no rule`,
        `Event '${event.eventName || 'unknown'}' has no environment rule and 'default' is empty: set 'default' to run on ${event.eventName || 'this event'}.`,
      );
  }
}

function matchRef(
  input: 'branches' | 'tags',
  what: string,
  name: string,
  rules: GlobRule[],
  orDefault: (what: string, failure: string) => Choice,
): Choice {
  const rule = matchingRule(rules, name);
  if (rule)
    return {
      environment: rule.environment,
      reason: `${what} '${name}' matches '${input}' line ${rule.line} '${rule.pattern} => ${rule.environment}'.`,
    };
  const mapped = rules.map((r) => (r.negated ? `!${r.pattern}` : r.pattern)).join(', ') || 'none';
  return orDefault(
    `${what} '${name}' matches no glob in '${input}' (mapped: ${mapped})`,
    `${what} '${name}' matches no glob in '${input}' (mapped: ${mapped}) and 'default' is empty: add a 'GLOB => ENVIRONMENT' line to '${input}' or set 'default'.`,
  );
}

function obj(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function num(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value : '';
}
