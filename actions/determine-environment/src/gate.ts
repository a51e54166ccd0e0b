import type { ActorRole, PullHead } from './github-api.js';

/** GitHub's repository roles, weakest first. */
export const PERMISSION_LEVELS = ['read', 'triage', 'write', 'maintain', 'admin'] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

/**
 * Events a person without write access can cause in this repository, with its secrets: comments, reviews,
 * issues, discussions, and pull_request_target (runs in the base repository for a fork's pull request).
 * Dispatches need write access to send, schedules and pushes come from the repository itself.
 */
export const PERSON_EVENTS = new Set([
  'issue_comment',
  'pull_request_review',
  'pull_request_review_comment',
  'pull_request_target',
  'issues',
  'discussion',
  'discussion_comment',
]);

/**
 * The effective level of a role: `role_name` where it is a base role (the legacy `permission` field maps
 * triage to read and maintain to write), else the legacy field (custom roles inherit a base role).
 * 'none' when GitHub does not know the user as a collaborator.
 */
export function effectiveLevel(role: ActorRole | undefined): PermissionLevel | 'none' {
  if (!role) return 'none';
  const known = (name: string): PermissionLevel | undefined => PERMISSION_LEVELS.find((l) => l === name);
  return known(role.roleName) ?? known(role.permission) ?? 'none';
}

export function rank(level: PermissionLevel | 'none'): number {
  return PERMISSION_LEVELS.indexOf(level as PermissionLevel);
}

/** Why the actor may not run this, or '' when the level is enough. */
export function permissionRefusal(actor: string, level: PermissionLevel | 'none', required: PermissionLevel): string {
  if (rank(level) >= rank(required)) return '';
  const has = level === 'none' ? 'no permission on this repository' : `'${level}' permission`;
  return `'${actor}' has ${has}; '${required}' or higher is required ('allowed-permission').`;
}

/** Why a command may not run on this pull request under `forks: refuse`, or ''. */
export function pullRequestRefusal(pull: PullHead, repository: string): string {
  if (pull.state !== 'open') return `pull request #${pull.number} is ${pull.state}, not open; commands run only on open pull requests.`;
  if (isFork(pull, repository)) {
    return `pull request #${pull.number} comes from the fork '${pull.headRepo || '(deleted)'}'; commands do not run on forks ('forks: refuse').`;
  }
  return '';
}

export function isFork(pull: PullHead, repository: string): boolean {
  return pull.headRepo.toLowerCase() !== (pull.baseRepo || repository).toLowerCase();
}
