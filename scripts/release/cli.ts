// pnpm release X.Y.Z [--dry-run] [--changelog] [--notes-file FILE] [--sha SHA] [--push] [--remote NAME] [--repo DIR]
// Creates the annotated tag vX.Y.Z on the commit and moves the major tag vX to it; --push sends both.
// --changelog writes the release's section into CHANGELOG.md from the pending `pnpm change` intents and removes
// them (commit that before releasing); --dry-run changes nothing and prints the notes, the tags and the attestations.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { git, tryGit } from '../copy-workflow/git.js';
import { listReleases, ToolError } from '../copy-workflow/releases.js';
import { attestationSubjects, SUBJECT_GLOB } from './attest.js';
import { changelogSection, prependSection, readIntents, renderNotes, requiredBump } from './notes.js';
import { bumpOf, planRelease } from './plan.js';

const USAGE = 'usage: pnpm release X.Y.Z [--dry-run] [--changelog] [--notes-file FILE] [--sha SHA] [--push] [--remote NAME] [--repo DIR]';

interface Options {
  version?: string;
  sha: string;
  push: boolean;
  dryRun: boolean;
  changelog: boolean;
  notesFile?: string;
  remote: string;
  repo: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    sha: 'HEAD',
    push: false,
    dryRun: false,
    changelog: false,
    remote: 'origin',
    repo: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new ToolError(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    if (arg === '--sha') options.sha = value();
    else if (arg === '--remote') options.remote = value();
    else if (arg === '--repo') options.repo = path.resolve(value());
    else if (arg === '--notes-file') options.notesFile = path.resolve(value());
    else if (arg === '--push') options.push = true;
    else if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--changelog') options.changelog = true;
    else if (!arg.startsWith('-') && options.version === undefined) options.version = arg;
    else throw new ToolError(`unexpected argument "${arg}"\n${USAGE}`);
  }
  if (options.version === undefined) throw new ToolError(USAGE);
  return options;
}

export function main(argv: string[], io = { out: console.log, err: console.error }): number {
  try {
    const options = parseArgs(argv);
    const { repo } = options;
    const commit = tryGit(repo, ['rev-parse', '--verify', '--quiet', `${options.sha}^{commit}`]);
    if (!commit) throw new ToolError(`${options.sha} is not a commit of ${repo}`);
    const releases = listReleases(repo);
    const plan = planRelease(options.version!, releases, commit);

    const changelogPath = path.join(repo, 'CHANGELOG.md');
    const changelog = existsSync(changelogPath) ? readFileSync(changelogPath, 'utf8') : '';
    const intents = readIntents(repo);
    const written = changelogSection(changelog, plan.tag);
    const notes = written ?? renderNotes(plan.tag, new Date().toISOString().slice(0, 10), intents);
    const wanted = requiredBump(intents);
    const bump = bumpOf(plan.tag, releases);
    if (!written && wanted !== 'none' && bump !== wanted) {
      io.err(`warning: the pending change intents ask for a ${wanted} release; ${plan.tag} is a ${bump} release.`);
    }
    if (options.notesFile) writeFileSync(options.notesFile, notes);

    const majorNow = tryGit(repo, ['rev-parse', '--verify', '--quiet', `refs/tags/${plan.major}^{commit}`]);
    if (options.dryRun) {
      io.out(`Release ${plan.tag} (dry run: nothing is changed)\n`);
      io.out(`Release notes${written ? ' (from CHANGELOG.md)' : ` (from ${intents.length} pending change intent(s))`}:\n`);
      io.out(notes);
      io.out('Tags:');
      io.out(`  ${plan.exists ? 'keep' : 'create'} ${plan.tag} (annotated) on ${plan.sha}`);
      io.out(`  move ${plan.major} ${majorNow ? `from ${majorNow}` : '(new)'} to ${plan.sha}`);
      io.out(`\nGitHub Release: create ${plan.tag} as a draft with these notes, then publish it (immutable releases).`);
      const subjects = attestationSubjects(repo);
      io.out(`\nAttestations (actions/attest-build-provenance, subject-path ${SUBJECT_GLOB}): ${subjects.length} file(s)`);
      for (const s of subjects) io.out(`  sha256:${s.sha256}  ${s.path}`);
      return 0;
    }
    if (options.changelog) {
      if (written) throw new ToolError(`CHANGELOG.md already has a section for ${plan.tag}`);
      writeFileSync(changelogPath, prependSection(changelog, notes));
      for (const intent of intents) rmSync(path.join(repo, intent.file));
      io.out(`Wrote the ${plan.tag} section of CHANGELOG.md from ${intents.length} change intent(s); commit it, then release.`);
      return 0;
    }
    if (!plan.exists) git(repo, ['tag', '-a', plan.tag, '-m', `Release ${plan.tag}\n\n${notes}`, plan.sha]);
    git(repo, ['tag', '-f', plan.major, plan.sha]);
    io.out(`${plan.exists ? 'Kept' : 'Created'} ${plan.tag} and moved ${plan.major} to ${plan.sha}.`);
    if (options.push) {
      git(repo, ['push', options.remote, `refs/tags/${plan.tag}`]);
      git(repo, ['push', '--force', options.remote, `refs/tags/${plan.major}`]);
      io.out(`Pushed ${plan.tag} and ${plan.major} to ${options.remote}.`);
    }
    return 0;
  } catch (error) {
    if (error instanceof ToolError || (error instanceof Error && /^\.changeset\//.test(error.message))) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
