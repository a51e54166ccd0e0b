import { escapeMrkdwn } from './mrkdwn.js';
import { runLink, type RunInfo } from './run-info.js';
import { statusLook, type Status } from './status.js';

/** What a payload-file may use as `${{ name }}`: read from the runner and the typed inputs, never from expressions. */
export interface TemplateContext {
  status: Status | undefined;
  /** The header title (the title input or the default one). */
  title: string;
  text: string;
  /** Already Slack mention syntax (`<!subteam^S…>`); '' when no mention applies. */
  mention: string;
  info: RunInfo;
  eventName: string;
  job: string;
}

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** Every variable, mrkdwn-escaped (except the mention, which is Slack syntax we built); undefined = needs a status. */
export function templateVariables(ctx: TemplateContext): Record<string, string | undefined> {
  const { info, status } = ctx;
  const look = status ? statusLook(status) : undefined;
  const repoUrl = info.repository ? `${info.serverUrl}/${info.repository}` : '';
  const plain: Record<string, string | undefined> = {
    status,
    status_emoji: look?.emoji,
    status_text: look?.word,
    status_color: look?.color,
    title: ctx.title,
    text: ctx.text,
    commit_title: info.commitTitle,
    short_sha: info.sha.slice(0, 7),
    run_url: runLink(info),
    repository_url: repoUrl,
    commit_url: repoUrl && info.sha ? `${repoUrl}/commit/${info.sha}` : '',
    'github.repository': info.repository,
    'github.ref_name': info.ref,
    'github.sha': info.sha,
    'github.actor': info.actor,
    'github.triggering_actor': info.triggeringActor,
    'github.workflow': info.workflow,
    'github.job': ctx.job,
    'github.run_id': info.runId,
    'github.run_number': info.runNumber,
    'github.run_attempt': String(info.runAttempt),
    'github.server_url': info.serverUrl,
    'github.event_name': ctx.eventName,
    'job.status': status,
  };
  const vars: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(plain)) vars[name] = value === undefined ? undefined : escapeMrkdwn(value);
  vars.mention = ctx.mention;
  return vars;
}

/** The variable names, for error messages and the README. */
export const VARIABLE_NAMES = Object.keys(
  templateVariables({
    status: 'success',
    title: '',
    text: '',
    mention: '',
    eventName: '',
    job: '',
    info: {
      serverUrl: '',
      repository: '',
      ref: '',
      sha: '',
      actor: '',
      triggeringActor: '',
      workflow: '',
      runId: '',
      runNumber: '',
      runAttempt: 1,
      commitTitle: '',
    },
  }),
);

/**
 * Replaces `${{ name }}` in every string of a parsed payload (keys are left alone). The file is parsed
 * first and values go in afterwards, so a quote, newline or `}}` in a value cannot change the
 * structure; JSON encoding happens when the payload is sent. Problems name unknown variables and any
 * `${{ }}` left over (an expression GitHub would have had to evaluate).
 */
export function applyTemplate(value: unknown, vars: Record<string, string | undefined>): { value: unknown; problems: string[] } {
  const problems = new Set<string>();
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return fill(node, vars, problems);
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node === 'object' && node !== null) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  return { value: walk(value), problems: [...problems] };
}

function fill(text: string, vars: Record<string, string | undefined>, problems: Set<string>): string {
  const rest = text.replace(PLACEHOLDER, (whole) => whole.replace('${{', '\u0000'));
  if (rest.includes('${{'))
    problems.add(
      `has an expression '${/\$\{\{.*?\}\}|\$\{\{.{0,40}/.exec(rest)?.[0] ?? '${{'}' that is not a variable: a file is not evaluated by GitHub; use one of ${VARIABLE_NAMES.join(', ')}`,
    );
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    if (!(name in vars)) {
      problems.add(`uses an unknown variable '${name}': expected one of ${VARIABLE_NAMES.join(', ')}`);
      return whole;
    }
    const v = vars[name];
    if (v === undefined) {
      problems.add(`uses '${name}' but the status input is empty`);
      return '';
    }
    return v;
  });
}
