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
