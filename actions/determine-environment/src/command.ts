/** Slash commands in pull request comments: `/plan`, `/apply`, `/bootstrap apply`. */

export interface CommandDecision {
  /** The accepted command (as configured), or '' when none was accepted. */
  command: string;
  args: string;
  accepted: boolean;
  /** Why the command was refused; '' when accepted. */
  refusal: string;
}

/** Arguments reach shell steps; anything beyond this set is refused rather than passed on. */
const SAFE_ARGS = /^[A-Za-z0-9 ._,:=@+/-]*$/;

/** Parses the first line of a comment against the allowed commands. */
export function parseCommand(body: string, prefix: string, commands: readonly string[]): CommandDecision {
  const refuse = (refusal: string): CommandDecision => ({ command: '', args: '', accepted: false, refusal });
  const firstLine = (body.split(/\r?\n/, 1)[0] ?? '').trim();
  const list = commands.map((c) => `${prefix}${c}`).join(', ');
  if (!firstLine.startsWith(prefix)) {
    return refuse(`the comment's first line does not start with '${prefix}' (commands: ${list})`);
  }
  const [word = '', ...rest] = firstLine.slice(prefix.length).trim().split(/\s+/);
  if (word === '') return refuse(`the comment names no command after '${prefix}' (commands: ${list})`);
  const command = commands.find((c) => c === word.toLowerCase());
  if (!command) return refuse(`'${prefix}${word}' is not one of the commands: ${list}`);
  const args = rest.join(' ');
  if (!SAFE_ARGS.test(args)) {
    return refuse(`the arguments of '${prefix}${command}' contain characters other than letters, digits, spaces and . _ , : = @ + / -`);
  }
  return { command, args, accepted: true, refusal: '' };
}

export interface PullRequestComment {
  /** The webhook action: created, edited or deleted. */
  action: string;
  number: string;
  onPullRequest: boolean;
  body: string;
}

/** Decides whether a comment runs a command: only new comments on pull requests, only the allowed commands. */
export function routeComment(comment: PullRequestComment, prefix: string, commands: readonly string[]): CommandDecision {
  const where = `${comment.onPullRequest ? 'pull request' : 'issue'} #${comment.number || '?'}`;
  const refuse = (refusal: string): CommandDecision => ({ command: '', args: '', accepted: false, refusal });
  if (!comment.onPullRequest) return refuse(`Comment on ${where} runs no command: commands run only from pull request comments.`);
  if (comment.action !== 'created')
    return refuse(`Comment on ${where} was ${comment.action}, not created: only new comments run commands.`);
  const decision = parseCommand(comment.body, prefix, commands);
  return decision.accepted ? decision : refuse(`Comment on ${where} runs no command: ${decision.refusal}.`);
}
