import { ghError, userJson, type FakeGitHub } from '../server.js';

/** A repository role as GitHub's collaborator-permission endpoint reports it. */
export type RepositoryRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

/**
 * Collaborator permission levels (determine-environment, run-workflow --collaborator):
 * GET /repos/{owner}/{repo}/collaborators/{username}/permission.
 */
export interface CollaboratorsState {
  /** Sets a user's role on a repository (default repository: octo-org/pipeline-demo). */
  set(login: string, role: RepositoryRole, repository?: string): void;
}

const DEFAULT_REPO = 'octo-org/pipeline-demo';

/**
 * The legacy `permission` field knows only the base roles: GitHub maps maintain to write and triage to read
 * (REST description of "Get repository permissions for a user").
 */
const LEGACY: Record<RepositoryRole, string> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
  none: 'none',
};

const RANK: Record<RepositoryRole, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

/** A stable id per login, so the same user has the same id in every answer. */
function idOf(login: string): number {
  let hash = 7;
  for (const c of login.toLowerCase()) hash = (hash * 31 + c.charCodeAt(0)) % 90_000_000;
  return 10_000_000 + hash;
}

export function registerCollaboratorsRoutes(github: FakeGitHub): CollaboratorsState {
  // repository (lower-case full name) -> login (lower-case) -> role; GitHub compares both case-insensitively.
  const roles = new Map<string, Map<string, { login: string; role: RepositoryRole }>>();

  github.route('GET', '/repos/:owner/:repo/collaborators/:username/permission', (req) => {
    const repository = `${req.params.owner}/${req.params.repo}`.toLowerCase();
    const entry = roles.get(repository)?.get(req.params.username.toLowerCase());
    // A login the repository does not know answers 404 (what GitHub answers for an account it cannot
    // resolve, and what clients see for some non-collaborators); a user set to 'none' answers 200 with 'none'.
    if (!entry) return ghError(404, 'Not Found');
    const rank = RANK[entry.role];
    const user = {
      ...userJson({ login: entry.login, id: idOf(entry.login), type: entry.login.endsWith('[bot]') ? 'Bot' : 'User' }, req.baseUrl),
      permissions: { pull: rank >= 1, triage: rank >= 2, push: rank >= 3, maintain: rank >= 4, admin: rank >= 5 },
      role_name: entry.role,
    };
    return { status: 200, body: { permission: LEGACY[entry.role], role_name: entry.role, user } };
  });

  return {
    set: (login, role, repository = DEFAULT_REPO) => {
      const key = repository.toLowerCase();
      const users = roles.get(key) ?? new Map<string, { login: string; role: RepositoryRole }>();
      users.set(login.toLowerCase(), { login, role });
      roles.set(key, users);
    },
  };
}
