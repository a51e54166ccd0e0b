// What the release attests: every file of every action's committed dist/, as actions/attest-build-provenance
// takes them (subject-path globs), with the sha256 each attestation will carry.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Subject {
  path: string;
  sha256: string;
}

export const SUBJECT_GLOB = 'actions/*/dist/**/*.js';

export function attestationSubjects(repo: string): Subject[] {
  const actionsDir = path.join(repo, 'actions');
  if (!existsSync(actionsDir)) return [];
  const subjects: Subject[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.js')) {
        subjects.push({ path: path.relative(repo, full), sha256: createHash('sha256').update(readFileSync(full)).digest('hex') });
      }
    }
  };
  for (const action of readdirSync(actionsDir).sort()) {
    const dist = path.join(actionsDir, action, 'dist');
    if (existsSync(dist)) walk(dist);
  }
  return subjects;
}
