import { isPlainObject } from '@pipeline-actions/kit';

/** GitHub login (lower case) → Slack user (U…/W…) or user-group (S…) ID. */
export type UserMap = Map<string, string>;

const USER_ID = /^[UW][A-Z0-9]{6,}$/;
const GROUP_ID = /^S[A-Z0-9]{6,}$/;
const SLACK_ID = /^[UWS][A-Z0-9]{6,}$/;
const SPECIAL: Record<string, string> = { '@here': '<!here>', '@channel': '<!channel>', '@everyone': '<!everyone>' };

/** A Slack ID as a mention: `<@U…>` for a person, `<!subteam^S…>` for a user group. */
export function mentionOf(id: string): string {
  return GROUP_ID.test(id) ? `<!subteam^${id}>` : `<@${id}>`;
}

/** Checks one map entry; a problem sentence, or undefined when fine. */
export function checkMapEntry(login: string, id: string): string | undefined {
  if (!/^[A-Za-z0-9-]+(\[bot\])?$/.test(login)) return `'${login}' is not a GitHub login`;
  if (!SLACK_ID.test(id)) return `'${id}' (for ${login}) is not a Slack user ID (U…/W…) or user-group ID (S…)`;
  return undefined;
}

/** The entries of a JSON user map (`{"octocat": "U0123ABCD"}`), with problems for entries that do not fit. */
export function parseJsonUserMap(text: string): { map: UserMap; problems: string[] } {
  const map: UserMap = new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { map, problems: [`is not valid JSON (${(error as Error).message})`] };
  }
  if (!isPlainObject(parsed)) return { map, problems: ['is not a JSON object of {"github-login": "SLACKID"}'] };
  const problems: string[] = [];
  for (const [login, id] of Object.entries(parsed)) {
    const problem = typeof id === 'string' ? checkMapEntry(login, id) : `the value for ${login} is not a string`;
    if (problem) problems.push(problem);
    else map.set(login.toLowerCase(), id as string);
  }
  return { map, problems };
}

/**
 * Turns the `mention` input (space or comma separated) into Slack mention syntax: @here, @channel,
 * @everyone, U…/W… users, S… user groups, @login through the user map; `<…>` sequences are kept.
 * What cannot be resolved is returned in `unresolved` (and left out, so nothing pings the wrong people).
 */
export function resolveMentions(value: string, map: UserMap): { mention: string; unresolved: string[] } {
  const out: string[] = [];
  const unresolved: string[] = [];
  for (const token of value.split(/[\s,]+/).filter(Boolean)) {
    const resolved = resolveOne(token, map);
    if (resolved) {
      if (!out.includes(resolved)) out.push(resolved);
    } else unresolved.push(token);
  }
  return { mention: out.join(' '), unresolved };
}

function resolveOne(token: string, map: UserMap): string | undefined {
  if (/^<[@!#][^<>\s]+>$/.test(token)) return token;
  const special = SPECIAL[token.toLowerCase()];
  if (special) return special;
  if (USER_ID.test(token) || GROUP_ID.test(token)) return mentionOf(token);
  const id = map.get(token.replace(/^@/, '').toLowerCase());
  return id ? mentionOf(id) : undefined;
}
