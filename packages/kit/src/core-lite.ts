/**
 * The part of `@actions/core` our actions use, without its OIDC client, for bundles only.
 * `@actions/core` 3 imports `@actions/http-client` and `undici` at load time for OIDC tokens, which costs
 * about 80 ms of every step's cold start. An action whose bundle pulls in no other HTTP client
 * (determine-environment, ssh-tunnel, validate-batch, notify-slack) points `@actions/core` here with
 * `paths` in its tsconfig.json; tests and the type check still see the real package, and
 * `tests/core-lite.test.ts` holds the file formats to the ones the real package writes.
 * Actions that load @actions/github or @actions/artifact keep the real package: they pay for undici anyway.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { EOL } from 'node:os';

export enum ExitCode {
  Success = 0,
  Failure = 1,
}

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.toString();
  return JSON.stringify(value);
}

function issue(command: string, message: string): void {
  process.stdout.write(`::${command}::${escapeData(message)}${EOL}`);
}

/** `name<<DELIMITER` heredoc blocks, as @actions/core writes every file command. */
function writeFileCommand(variable: 'GITHUB_OUTPUT' | 'GITHUB_STATE', name: string, text: string): boolean {
  const file = process.env[variable];
  if (!file) return false;
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || text.includes(delimiter))
    throw new Error(`Unexpected input: the value of ${name} contains the delimiter ${delimiter}`);
  appendFileSync(file, `${name}<<${delimiter}${EOL}${text}${EOL}${delimiter}${EOL}`, 'utf8');
  return true;
}

export function setOutput(name: string, value: unknown): void {
  const text = toText(value);
  if (!writeFileCommand('GITHUB_OUTPUT', name, text)) process.stdout.write(`${EOL}::set-output name=${name}::${escapeData(text)}${EOL}`);
}

/** Saves state for the post step, as a GITHUB_STATE file command (the runner gives it back as STATE_<name>). */
export function saveState(name: string, value: unknown): void {
  writeFileCommand('GITHUB_STATE', name, toText(value));
}

export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? '';
}

export function setSecret(secret: string): void {
  issue('add-mask', secret);
}

export function isDebug(): boolean {
  return process.env.RUNNER_DEBUG === '1';
}

export function debug(message: string): void {
  issue('debug', message);
}

export function info(message: string): void {
  process.stdout.write(`${message}${EOL}`);
}

export function notice(message: string | Error): void {
  issue('notice', toText(message));
}

export function startGroup(name: string): void {
  issue('group', name);
}

export function endGroup(): void {
  issue('endgroup', '');
}

/** `INPUT_<NAME>` as the runner passes it, trimmed (the kit's InputReader reads inputs the same way). */
export function getInput(name: string, options: { required?: boolean; trimWhitespace?: boolean } = {}): string {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
  if (options.required && !value) throw new Error(`Input required and not supplied: ${name}`);
  return options.trimWhitespace === false ? value : value.trim();
}

export function warning(message: string | Error): void {
  issue('warning', toText(message));
}

export function error(message: string | Error): void {
  issue('error', toText(message));
}

export function setFailed(message: string | Error): void {
  process.exitCode = ExitCode.Failure;
  error(message);
}

class Summary {
  private buffer = '';

  addRaw(text: string, addEOL = false): Summary {
    this.buffer += addEOL ? `${text}${EOL}` : text;
    return this;
  }

  async write(): Promise<Summary> {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (!file)
      throw new Error(
        'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.',
      );
    if (!existsSync(file))
      throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
    appendFileSync(file, this.buffer, 'utf8');
    this.buffer = '';
    return this;
  }
}

export const summary = new Summary();
