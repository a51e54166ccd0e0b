// Third-party action references in a workflow: pinned to a full SHA, and on a Node runtime GitHub still runs.
// The table is read from each action's action.yml at its major tags (December 2026); a major not listed is not judged.

/** `runs.using` of each major of the third-party actions our workflows and users' copies use. */
export const NODE_RUNTIMES: Record<string, Record<number, string>> = {
  'actions/checkout': { 2: 'node12', 3: 'node16', 4: 'node20', 5: 'node24', 6: 'node24', 7: 'node24' },
  'actions/setup-python': { 1: 'node12', 2: 'node12', 3: 'node16', 4: 'node16', 5: 'node20', 6: 'node24', 7: 'node24' },
  'actions/setup-node': { 1: 'node12', 2: 'node12', 3: 'node16', 4: 'node20', 5: 'node24', 6: 'node24', 7: 'node24' },
  'actions/upload-artifact': { 2: 'node12', 3: 'node16', 4: 'node20', 5: 'node20', 6: 'node24', 7: 'node24' },
  'actions/download-artifact': { 2: 'node12', 3: 'node16', 4: 'node20', 5: 'node20', 6: 'node20', 7: 'node24', 8: 'node24' },
  'actions/cache': { 1: 'node12', 2: 'node12', 3: 'node16', 4: 'node20', 5: 'node24' },
  'actions/github-script': { 5: 'node12', 6: 'node16', 7: 'node20', 8: 'node24' },
  'aws-actions/configure-aws-credentials': { 1: 'node12', 2: 'node16', 3: 'node16', 4: 'node20', 5: 'node20', 6: 'node24' },
  'docker/build-push-action': { 2: 'node12', 3: 'node16', 4: 'node16', 5: 'node20', 6: 'node20', 7: 'node24' },
  'docker/login-action': { 1: 'node12', 2: 'node16', 3: 'node20', 4: 'node24' },
  'docker/metadata-action': { 1: 'node12', 2: 'node12', 3: 'node12', 4: 'node16', 5: 'node20', 6: 'node24' },
  'docker/setup-buildx-action': { 1: 'node12', 2: 'node16', 3: 'node20', 4: 'node24' },
  'pnpm/action-setup': { 1: 'node12', 2: 'node16', 3: 'node20', 4: 'node20' },
};

/** Runtimes GitHub has deprecated or removed for JavaScript actions. */
export const DEPRECATED_RUNTIMES = new Set(['node12', 'node16', 'node20']);

/** The newest major of each action on a current runtime, for the advice. */
function currentMajor(repo: string): number | undefined {
  const majors = Object.entries(NODE_RUNTIMES[repo] ?? {})
    .filter(([, runtime]) => !DEPRECATED_RUNTIMES.has(runtime))
    .map(([major]) => Number(major));
  return majors.length > 0 ? Math.max(...majors) : undefined;
}

const USES = /^\s*-?\s*uses:\s*(['"]?)([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)(\/[^@\s'"]*)?@([^\s'"#]+)\1(?:[ \t]*#\s*(.*))?$/;
const FULL_SHA = /^[0-9a-f]{40}$/;

export interface ThirdPartyProblem {
  line: number;
  message: string;
}

/** Problems of the third-party `uses:` lines of a workflow text (our own actions and local paths are skipped). */
export function auditThirdParty(text: string): ThirdPartyProblem[] {
  const problems: ThirdPartyProblem[] = [];
  text.split('\n').forEach((line, index) => {
    const match = USES.exec(line);
    if (!match) return;
    const [, , repo, subpath = '', ref, comment] = match;
    if (/\/pipeline-actions$/.test(repo)) return;
    const uses = `${repo}${subpath}@${ref}`;
    const pinned = FULL_SHA.test(ref);
    if (!pinned)
      problems.push({ line: index + 1, message: `${uses}: not pinned to a full commit SHA (write ${repo}${subpath}@<sha> # vX.Y.Z)` });
    const version = pinned ? comment?.trim() : ref;
    const major = /^v?(\d+)/.exec(version ?? '')?.[1];
    const runtime = major === undefined ? undefined : NODE_RUNTIMES[repo.toLowerCase()]?.[Number(major)];
    if (runtime && DEPRECATED_RUNTIMES.has(runtime)) {
      const current = currentMajor(repo.toLowerCase());
      problems.push({
        line: index + 1,
        message: `${uses}${pinned && comment ? ` (${comment.trim()})` : ''}: v${major} runs on ${runtime}, which GitHub has deprecated${current ? `; move to v${current} (node24)` : ''}`,
      });
    }
  });
  return problems;
}
