/**
 * The part of `@actions/core` this action and the kit use, without its OIDC client.
 * `@actions/core` 3 imports `@actions/http-client` and `undici` at load time for OIDC tokens, which
 * costs ~80 ms of cold start; this action is a sub-150 ms step, so its tsconfig `paths` points
 * `@actions/core` here for the bundle. Tests and the type check still see the real package.
 * The runner protocol is the same: workflow commands on stdout, file commands for outputs and summary.
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

export function setOutput(name: string, value: unknown): void {
  const file = process.env.GITHUB_OUTPUT;
  const text = toText(value);
  if (!file) {
    process.stdout.write(`${EOL}::set-output name=${name}::${escapeData(text)}${EOL}`);
    return;
  }
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || text.includes(delimiter))
    throw new Error(`Unexpected input: the output ${name} contains the delimiter ${delimiter}`);
  appendFileSync(file, `${name}<<${delimiter}${EOL}${text}${EOL}${delimiter}${EOL}`, 'utf8');
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
