// Release notes from pnpm's change intents (`pnpm change`, files .changeset/<name>.md: a YAML front matter of
// "package": bump lines, then the summary), and the CHANGELOG.md section they become.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

export type Bump = 'major' | 'minor' | 'patch' | 'none';

export interface ChangeIntent {
  file: string;
  bump: Bump;
  summary: string;
}

const ORDER: Bump[] = ['major', 'minor', 'patch', 'none'];
const HEADINGS: Record<Exclude<Bump, 'none'>, string> = { major: 'Breaking changes', minor: 'Features', patch: 'Fixes' };

/** The pending intents in .changeset/ (ledger.yaml and changelogs/ are pnpm's own bookkeeping). */
export function readIntents(repo: string): ChangeIntent[] {
  const dir = path.join(repo, '.changeset');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md') && name !== 'README.md')
    .sort()
    .map((name) => parseIntent(path.join('.changeset', name), readFileSync(path.join(dir, name), 'utf8')));
}

export function parseIntent(file: string, text: string): ChangeIntent {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`${file}: expected a front matter between --- lines, as \`pnpm change\` writes it`);
  const front = (parseYaml(match[1]) ?? {}) as Record<string, string>;
  const bumps = Object.values(front);
  const bad = bumps.find((b) => !ORDER.includes(b as Bump));
  if (bad !== undefined) throw new Error(`${file}: bump "${bad}" is not one of ${ORDER.join(', ')}`);
  const bump = ORDER.find((b) => bumps.includes(b)) ?? 'none';
  return { file, bump, summary: match[2].trim() };
}

/** The largest bump the intents ask for. */
export function requiredBump(intents: ChangeIntent[]): Bump {
  return ORDER.find((b) => intents.some((i) => i.bump === b)) ?? 'none';
}

/** The CHANGELOG.md section for a release: one list per kind of change, newest intents last. */
export function renderNotes(tag: string, date: string, intents: ChangeIntent[]): string {
  const lines = [`## ${tag} (${date})`, ''];
  for (const bump of ['major', 'minor', 'patch'] as const) {
    const items = intents.filter((i) => i.bump === bump);
    if (items.length === 0) continue;
    lines.push(`### ${HEADINGS[bump]}`, '');
    for (const item of items) lines.push(`- ${item.summary.replace(/\n+/g, '\n  ')}`);
    lines.push('');
  }
  if (lines.length === 2) lines.push('No user-facing changes.', '');
  return lines.join('\n');
}

/** The section of CHANGELOG.md for a tag, when it was already written. */
export function changelogSection(changelog: string, tag: string): string | undefined {
  const start = changelog.search(new RegExp(`^## ${tag.replace(/\./g, '\\.')}( |$)`, 'm'));
  if (start < 0) return undefined;
  const rest = changelog.slice(start);
  const next = rest.slice(3).search(/^## /m);
  return (next < 0 ? rest : rest.slice(0, next + 3)).trim() + '\n';
}

/** CHANGELOG.md with a new section placed above the newest one. */
export function prependSection(changelog: string, section: string): string {
  const header =
    '# Changelog\n\nOne version line for every action (`vX.Y.Z`; `vX` moves to the newest). Written by `pnpm release X.Y.Z --changelog` from the change intents of `pnpm change`.\n';
  const body = changelog.trim() === '' ? header : changelog;
  const at = body.search(/^## /m);
  return at < 0 ? `${body.trimEnd()}\n\n${section}` : `${body.slice(0, at)}${section}\n${body.slice(at)}`;
}
