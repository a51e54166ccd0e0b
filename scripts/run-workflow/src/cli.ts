// Command-line parsing for `pnpm run-workflow`; every mistake is a UsageError (exit status 2, one line).
import { existsSync, readFileSync } from 'node:fs';
import { UsageError, type RunWorkflowOptions } from './types.js';

export interface CliOptions extends RunWorkflowOptions {
  json?: string;
  quiet?: boolean;
  help?: boolean;
}

const VALUE_OPTIONS = [
  '--event',
  '--payload',
  '--input',
  '--cron',
  '--ref',
  '--actor',
  '--comment',
  '--collaborator',
  '--secret',
  '--var',
  '--approve',
  '--protect',
  '--state',
  '--json',
  '--repo',
  '--workdir',
];
const FLAGS = ['--local', '--quiet', '--help', '-h', '--keep-workdir'];
export const USAGE = `Usage: pnpm run-workflow <workflow.yml> [--event NAME] [--payload FILE] [--input KEY=VALUE]... [--cron "EXPR"] [--ref REF]
       [--actor LOGIN] [--comment "TEXT"] [--collaborator LOGIN=PERMISSION]... [--secret KEY=VALUE]... [--var KEY=VALUE]...
       [--approve ENVIRONMENT]... [--protect ENVIRONMENT]... [--local] [--state DIR] [--json FILE] [--repo DIR] [--workdir DIR]
       [--keep-workdir] [--quiet]`;

function pair(option: string, value: string): [string, string] {
  const at = value.indexOf('=');
  if (at <= 0) throw new UsageError(`${option} takes KEY=VALUE, got '${value}'.`);
  return [value.slice(0, at), value.slice(at + 1)];
}

export function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = { workflow: '', inputs: {}, secrets: {}, vars: {}, collaborators: {}, approve: [], protect: [] };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (FLAGS.includes(name)) {
      if (name === '--local') o.local = true;
      if (name === '--quiet') o.quiet = true;
      if (name === '--keep-workdir') o.keepWorkdir = true;
      if (name === '--help' || name === '-h') o.help = true;
      continue;
    }
    if (!name.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    if (!VALUE_OPTIONS.includes(name)) throw new UsageError(`Unknown option ${name}; options: ${[...VALUE_OPTIONS, ...FLAGS].join(' ')}.`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value.`);
    switch (name) {
      case '--event':
        o.event = value;
        break;
      case '--payload':
        if (!existsSync(value)) throw new UsageError(`--payload: no such file ${value}.`);
        try {
          o.payload = JSON.parse(readFileSync(value, 'utf8')) as Record<string, unknown>;
        } catch {
          throw new UsageError(`--payload: ${value} is not JSON.`);
        }
        break;
      case '--input': {
        const [k, v] = pair(name, value);
        o.inputs![k] = v;
        break;
      }
      case '--secret': {
        const [k, v] = pair(name, value);
        o.secrets![k] = v;
        break;
      }
      case '--var': {
        const [k, v] = pair(name, value);
        o.vars![k] = v;
        break;
      }
      case '--collaborator': {
        const [k, v] = pair(name, value);
        if (!['admin', 'maintain', 'write', 'triage', 'read', 'none'].includes(v))
          throw new UsageError(`--collaborator ${k}=${v}: the permission is admin, maintain, write, triage, read or none.`);
        o.collaborators![k] = v;
        break;
      }
      case '--approve':
        o.approve!.push(value);
        break;
      case '--protect':
        o.protect!.push(value);
        break;
      case '--cron':
        o.cron = value;
        break;
      case '--ref':
        o.ref = value;
        break;
      case '--actor':
        o.actor = value;
        break;
      case '--comment':
        o.comment = value;
        break;
      case '--state':
        o.stateDir = value;
        o.local = true;
        break;
      case '--json':
        o.json = value;
        break;
      case '--repo':
        if (!existsSync(value)) throw new UsageError(`--repo: no such directory ${value}.`);
        o.repo = value;
        break;
      case '--workdir':
        o.workdir = value;
        break;
    }
  }
  if (o.help) return o;
  if (positional.length !== 1)
    throw new UsageError(
      positional.length ? `One workflow file, got ${positional.join(' ')}.` : 'Give the workflow file: pnpm run-workflow <workflow.yml>.',
    );
  o.workflow = positional[0];
  if (!existsSync(o.workflow)) throw new UsageError(`Workflow file not found: ${o.workflow}.`);
  if (o.comment !== undefined && o.event !== 'issue_comment') throw new UsageError('--comment is for --event issue_comment.');
  return o;
}
