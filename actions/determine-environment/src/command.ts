/** Slash commands in pull request comments, with a grammar: `/plan`, `/plan platform`, `/bootstrap apply`. */

/**
 * Each command with the argument lists it accepts; `undefined` = any number of safe arguments
 * (the plain list form of the `commands` input).
 */
export type CommandGrammar = Map<string, string[][] | undefined>;

export interface CommandDecision {
  /** The accepted command (as configured), or '' when none was accepted. */
  command: string;
  args: string;
  accepted: boolean;
  /** The comment's first line starts with the prefix: a refusal is worth a notice (and a reaction). */
  attempted: boolean;
  /** Why the command was refused; '' when accepted. */
  refusal: string;
}

/** An argument reaches shell steps and CLIs: never an option (`-x`), never a character outside this set. */
export const SAFE_ARG = /^[A-Za-z0-9._/][A-Za-z0-9._/-]*$/;
export const SAFE_ARG_FORM = "words of letters, digits, '.', '_', '/' and '-', not starting with '-'";
export const COMMAND_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
/** Longer first lines are refused unread: a command is a few words. */
const MAX_FIRST_LINE = 512;

/**
 * Text from a comment, made safe to show in a reason, a notice or the summary: cut to `max` characters, and
 * everything outside letters, digits, space and `. _ / - : = , + @` replaced by '?' (no quotes, `$(`, backticks,
 * control characters), so a reason pasted into a shell or Markdown by mistake stays inert.
 */
export function shown(text: string, max = 40): string {
  const chars = [...text];
  return `${chars
    .slice(0, max)
    .join('')
    .replace(/[^A-Za-z0-9 ._/:=,+@-]/g, '?')}${chars.length > max ? '…' : ''}`;
}

/** `/plan, /plan platform, /apply, /bootstrap apply` (list form: `/plan [args]`). */
export function allowedForms(grammar: CommandGrammar, prefix: string): string {
  const forms: string[] = [];
  for (const [name, lists] of grammar) {
    if (!lists) forms.push(`${prefix}${name} [args]`);
    else for (const args of lists) forms.push([`${prefix}${name}`, ...args].join(' '));
  }
  return forms.join(', ');
}

/** Parses the first line of a comment against the grammar. Reads at most MAX_FIRST_LINE characters of the body. */
export function parseCommand(body: string, prefix: string, grammar: CommandGrammar): CommandDecision {
  const forms = allowedForms(grammar, prefix);
  // Only the head of the body is read: a 1 MB comment costs no more than a short one.
  const head = body.slice(0, MAX_FIRST_LINE + 2);
  const newline = head.search(/\r?\n/);
  const tooLong = newline < 0 ? body.length > MAX_FIRST_LINE : newline > MAX_FIRST_LINE;
  const firstLine = (newline < 0 ? head : head.slice(0, newline)).trim();
  const attempted = firstLine.startsWith(prefix);
  const refuse = (refusal: string): CommandDecision => ({ command: '', args: '', accepted: false, attempted, refusal });
  if (!attempted) return refuse(`the comment's first line does not start with '${prefix}' (allowed: ${forms})`);
  if (tooLong) return refuse(`the command line is longer than ${MAX_FIRST_LINE} characters (allowed: ${forms})`);
  const [word = '', ...args] = firstLine
    .slice(prefix.length)
    .trim()
    .split(/[ \t]+/);
  if (word === '') return refuse(`the comment names no command after '${prefix}' (allowed: ${forms})`);
  const command = COMMAND_NAME.test(word) ? word.toLowerCase() : '';
  if (!grammar.has(command)) return refuse(`'${shown(prefix + word)}' is not an allowed command (allowed: ${forms})`);
  const unsafe = args.find((a) => !SAFE_ARG.test(a));
  if (unsafe !== undefined) {
    return refuse(
      `the argument '${shown(unsafe)}' of '${prefix}${command}' is not allowed: arguments are ${SAFE_ARG_FORM} (allowed: ${forms})`,
    );
  }
  const lists = grammar.get(command);
  if (lists && !lists.some((list) => list.length === args.length && list.every((a, i) => a === args[i]))) {
    const asked = [`${prefix}${command}`, ...args].join(' ');
    return refuse(`'${shown(asked, 80)}' is not an allowed form (allowed: ${forms})`);
  }
  return { command, args: args.join(' '), accepted: true, attempted, refusal: '' };
}

export interface PullRequestComment {
  /** The webhook action: created, edited or deleted. */
  action: string;
  number: string;
  onPullRequest: boolean;
  body: string;
}

/** Decides whether a comment runs a command: only new comments on pull requests, only allowed forms. */
export function routeComment(comment: PullRequestComment, prefix: string, grammar: CommandGrammar): CommandDecision {
  const where = `${comment.onPullRequest ? 'pull request' : 'issue'} #${comment.number || '?'}`;
  const decision = parseCommand(comment.body, prefix, grammar);
  const refuse = (refusal: string): CommandDecision => ({ ...decision, command: '', args: '', accepted: false, refusal });
  if (!comment.onPullRequest) return refuse(`Comment on ${where} runs no command: commands run only from pull request comments.`);
  if (comment.action !== 'created')
    return refuse(`Comment on ${where} was ${shown(comment.action)}, not created: only new comments run commands.`);
  return decision.accepted ? decision : refuse(`Comment on ${where} runs no command: ${decision.refusal}.`);
}
