// pnpm copy-workflow <name> --to <repo dir> [--owner ORG] [--ref vX.Y.Z | --sha SHA] [--force | --update] [--source DIR]
// pnpm copy-workflow --check <repo dir> [--source DIR]
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tryGit } from './git.js';
import { findOurReferences, findRequirements, pinWorkflowText } from './pin.js';
import { describeCommit, findRelease, FULL_SHA, listReleases, newestRelease, ToolError } from './releases.js';
import { auditThirdParty } from './third-party.js';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const USAGE = `usage:
  pnpm copy-workflow <name> --to <repo dir> [--owner ORG] [--ref vX.Y.Z | --sha SHA] [--force | --update]
  pnpm copy-workflow --check <repo dir>
options:
  --owner ORG    the GitHub owner of your pipeline-actions copy (default: the owner of this checkout's origin remote, else your-org)
  --ref vX.Y.Z   pin to this release (default: the newest vX.Y.Z tag)
  --sha SHA      pin to this commit
  --force        overwrite a workflow that differs from the copy
  --update       in your existing copy, re-pin only the references to our actions; every other line is kept
  --source DIR   the pipeline-actions checkout to copy from and resolve tags in (default: this one)`;

interface Options {
  name?: string;
  to?: string;
  owner?: string;
  ref?: string;
  sha?: string;
  force: boolean;
  update: boolean;
  check?: string;
  source: string;
  help: boolean;
}

const defaultSource = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function parseArgs(argv: string[]): Options {
  const options: Options = { force: false, update: false, source: defaultSource, help: false };
  const valueOf = (index: number, flag: string) => {
    const value = argv[index + 1];
    if (value === undefined || value.startsWith('--')) throw new ToolError(`${flag} needs a value\n${USAGE}`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--to':
      case '--owner':
      case '--ref':
      case '--sha':
      case '--check':
      case '--source': {
        const key = arg.slice(2) as 'to' | 'owner' | 'ref' | 'sha' | 'check' | 'source';
        options[key] = valueOf(i, arg);
        i++;
        break;
      }
      case '--force':
        options.force = true;
        break;
      case '--update':
        options.update = true;
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        if (arg.startsWith('-') || options.name !== undefined) throw new ToolError(`unexpected argument "${arg}"\n${USAGE}`);
        options.name = arg.replace(/\.ya?ml$/, '');
    }
  }
  if (options.ref !== undefined && options.sha !== undefined) throw new ToolError('give --ref or --sha, not both');
  if (options.update && options.force)
    throw new ToolError('give --update (keep your edits, re-pin) or --force (replace the file), not both');
  if (!options.help && options.check === undefined && (options.name === undefined || options.to === undefined)) {
    throw new ToolError(`a workflow name and --to <repo dir> are required\n${USAGE}`);
  }
  return options;
}

/** The owner of a GitHub origin remote (https or ssh form), if there is one. */
function ownerFromOrigin(repo: string): string | undefined {
  const url = tryGit(repo, ['remote', 'get-url', 'origin']);
  return url ? /github\.com[/:]([^/]+)\/[^/]+?(?:\.git)?$/.exec(url)?.[1] : undefined;
}

function resolvePin(options: Options, source: string): { sha: string; label: string } {
  if (options.sha !== undefined) return describeCommit(source, options.sha);
  const release = options.ref !== undefined ? findRelease(source, options.ref) : newestRelease(source);
  return { sha: release.sha, label: release.tag };
}

/** --update: only our references in the user's copy move to the new pin; every other line stays as the user left it. */
function update(options: Options, io: Io): number {
  const source = path.resolve(options.source);
  const name = options.name!;
  const target = path.join(path.resolve(options.to!), '.github', 'workflows', `${name}.yml`);
  if (!existsSync(target)) throw new ToolError(`${target} does not exist: copy it first (pnpm copy-workflow ${name} --to <repo dir>)`);
  const current = readFileSync(target, 'utf8');
  const references = findOurReferences(current);
  if (references.length === 0)
    throw new ToolError(`${target} has no reference to our actions (owner/pipeline-actions/actions/<name>@ref) to update`);
  const owner = options.owner ?? references[0].owner;
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(owner))
    throw new ToolError(`--owner "${owner}" is not a GitHub user or organisation name`);
  const pin = resolvePin(options, source);
  const { text, count } = pinWorkflowText(current, { owner, sha: pin.sha, label: pin.label });
  if (text === current) {
    io.out(`${target}: all ${count} reference(s) already pinned to ${pin.label}; nothing written.`);
  } else {
    writeFileSync(target, text);
    io.out(`Updated ${target}: ${count} reference(s) to ${owner}/pipeline-actions@${pin.sha} # ${pin.label}; every other line kept.`);
  }
  // What changed in the reference workflow itself between the old pin and the new one is for the user to merge by hand.
  const previous = references.map((ref) => ref.ref).find((ref) => FULL_SHA.test(ref) && ref !== pin.sha);
  const changed = previous && tryGit(source, ['diff', '--stat', previous, pin.sha, '--', `workflows/${name}.yml`]);
  if (changed) {
    io.out(`The reference ${name}.yml changed since ${previous!.slice(0, 7)}: review with`);
    io.out(`  git -C ${source} diff ${previous!.slice(0, 12)} ${pin.sha.slice(0, 12)} -- workflows/${name}.yml`);
  }
  return 0;
}

function copy(options: Options, io: Io): number {
  const source = path.resolve(options.source);
  const name = options.name!;
  const owner = options.owner ?? ownerFromOrigin(source) ?? 'your-org';
  if (options.owner === undefined && owner === 'your-org') {
    io.err('warning: no --owner and no GitHub origin remote to take it from: the references keep the owner your-org; pass --owner ORG');
  }
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(owner))
    throw new ToolError(`--owner "${owner}" is not a GitHub user or organisation name`);

  const pin = resolvePin(options, source);

  const available = readdirSync(path.join(source, 'workflows'))
    .filter((file) => file.endsWith('.yml'))
    .map((file) => file.slice(0, -4));
  if (!available.includes(name)) throw new ToolError(`no reference workflow "${name}" (available: ${available.sort().join(', ')})`);
  // The workflow as it was at the pinned commit, so it matches the actions it is pinned to.
  const original = tryGit(source, ['show', `${pin.sha}:workflows/${name}.yml`]);
  if (original === undefined) throw new ToolError(`workflows/${name}.yml does not exist at ${pin.label} (${pin.sha}); pin a newer release`);

  const { text, count } = pinWorkflowText(`${original}\n`, { owner, sha: pin.sha, label: pin.label });
  const target = path.join(path.resolve(options.to!), '.github', 'workflows', `${name}.yml`);
  if (existsSync(target)) {
    const current = readFileSync(target, 'utf8');
    if (current === text) {
      io.out(`${target} is already this copy (${pin.label}); nothing written.`);
    } else if (!options.force) {
      throw new ToolError(
        `${target} exists and differs from the copy: it is not overwritten (--update re-pins our actions and keeps your edits; --force replaces it)`,
      );
    } else {
      writeFileSync(target, text);
      io.out(`Overwrote ${target} (--force).`);
    }
  } else {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
    io.out(`Wrote ${target}.`);
  }
  io.out(`Pinned ${count} reference(s) to ${owner}/pipeline-actions@${pin.sha} # ${pin.label}.`);

  const needs = findRequirements(text);
  io.out('');
  io.out(`Secrets this workflow needs (Settings > Secrets and variables > Actions):`);
  for (const secret of needs.secrets) io.out(`  ${secret}`);
  if (needs.secrets.length === 0) io.out('  (none)');
  if (needs.variables.length > 0) io.out(`Variables: ${needs.variables.join(', ')}`);
  if (needs.environments.length > 0) io.out(`Environments: ${needs.environments.join(', ')}`);
  return 0;
}

function check(options: Options, io: Io): number {
  const source = path.resolve(options.source);
  const newest = newestRelease(source);
  const byCommit = new Map(listReleases(source).map((release) => [release.sha, release.tag]));
  const dir = path.join(path.resolve(options.check!), '.github', 'workflows');
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((file) => /\.ya?ml$/.test(file))
        .sort()
    : [];
  let problems = 0;
  let references = 0;
  let thirdParty = 0;
  for (const file of files) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    for (const problem of auditThirdParty(text)) {
      thirdParty++;
      io.out(`.github/workflows/${file}:${problem.line} ${problem.message}`);
    }
    for (const ref of findOurReferences(text)) {
      references++;
      const where = `.github/workflows/${file}:${ref.line} ${ref.action}@${ref.ref}`;
      if (!FULL_SHA.test(ref.ref)) {
        problems++;
        io.out(`${where}: not pinned to a full commit SHA (newest release: ${newest.tag} = ${newest.sha})`);
      } else if (ref.ref !== newest.sha) {
        problems++;
        const known = byCommit.get(ref.ref);
        io.out(`${where}: behind the newest release ${newest.tag} (pinned to ${known ?? 'a commit that is not a release'})`);
      }
    }
  }
  io.out(
    problems === 0
      ? `${references} reference(s) to our actions in ${files.length} workflow file(s), all pinned to the newest release ${newest.tag}.`
      : `${problems} of ${references} reference(s) need updating: pnpm copy-workflow <name> --to <repo dir> --update (keeps your edits).`,
  );
  if (thirdParty > 0)
    io.out(`${thirdParty} third-party reference problem(s): pin each to a full SHA of a node24 major, with its version in a comment.`);
  return problems === 0 && thirdParty === 0 ? 0 : 1;
}

/** Runs the tool; returns the exit code. */
export function main(argv: string[], io: Io = { out: console.log, err: console.error }, cwd = process.cwd()): number {
  try {
    const options = parseArgs(argv);
    // Relative paths are the user's: pnpm runs scripts in the workspace root but passes the caller's directory.
    for (const key of ['to', 'check', 'source'] as const) if (options[key] !== undefined) options[key] = path.resolve(cwd, options[key]);
    if (options.help) {
      io.out(USAGE);
      return 0;
    }
    if (options.check !== undefined) return check(options, io);
    return options.update ? update(options, io) : copy(options, io);
  } catch (error) {
    if (error instanceof ToolError) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
