// pnpm release X.Y.Z [--sha SHA] [--push] [--remote origin] [--repo DIR]
// Creates the annotated tag vX.Y.Z on the commit and moves the major tag vX to it; --push sends both.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { git, tryGit } from '../copy-workflow/git.js';
import { listReleases, ToolError } from '../copy-workflow/releases.js';
import { planRelease } from './plan.js';

const USAGE = 'usage: pnpm release X.Y.Z [--sha SHA] [--push] [--remote NAME] [--repo DIR]';

export function main(argv: string[], io = { out: console.log, err: console.error }): number {
  try {
    let version: string | undefined;
    let sha = 'HEAD';
    let push = false;
    let remote = 'origin';
    let repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      const value = () => {
        const next = argv[++i];
        if (next === undefined) throw new ToolError(`${arg} needs a value\n${USAGE}`);
        return next;
      };
      if (arg === '--sha') sha = value();
      else if (arg === '--remote') remote = value();
      else if (arg === '--repo') repo = path.resolve(value());
      else if (arg === '--push') push = true;
      else if (!arg.startsWith('-') && version === undefined) version = arg;
      else throw new ToolError(`unexpected argument "${arg}"\n${USAGE}`);
    }
    if (version === undefined) throw new ToolError(USAGE);
    const commit = tryGit(repo, ['rev-parse', '--verify', '--quiet', `${sha}^{commit}`]);
    if (!commit) throw new ToolError(`${sha} is not a commit of ${repo}`);

    const plan = planRelease(version, listReleases(repo), commit);
    if (!plan.exists) git(repo, ['tag', '-a', plan.tag, '-m', `Release ${plan.tag}`, plan.sha]);
    git(repo, ['tag', '-f', plan.major, plan.sha]);
    io.out(`${plan.exists ? 'Kept' : 'Created'} ${plan.tag} and moved ${plan.major} to ${plan.sha}.`);
    if (push) {
      git(repo, ['push', remote, `refs/tags/${plan.tag}`]);
      git(repo, ['push', '--force', remote, `refs/tags/${plan.major}`]);
      io.out(`Pushed ${plan.tag} and ${plan.major} to ${remote}.`);
    }
    return 0;
  } catch (error) {
    if (error instanceof ToolError) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
