// The GITHUB_TOKEN a job gets: exactly its `permissions:` (job level over workflow level), GitHub's permissive
// default when neither sets any, nothing but metadata for `permissions: {}`
// (https://docs.github.com/actions/security-for-github-actions/security-guides/automatic-token-authentication#permissions-for-the-github_token).
import { randomBytes } from 'node:crypto';
import type { FakeIdentity, PermissionScope } from '../../../packages/testing/src/github/server.js';
import type { FakeGitHubApi } from '../../../packages/testing/src/github/index.js';

export type Permissions = Partial<Record<PermissionScope, 'read' | 'write' | 'none'>>;

const SCOPES: PermissionScope[] = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'metadata',
  'packages',
  'pages',
  'pull-requests',
  'security-events',
  'statuses',
];

/** The permissive default (repository setting "Read and write permissions"); id-token is never granted by default. */
export const PERMISSIVE_DEFAULT: Permissions = Object.fromEntries(
  SCOPES.map((s) => [s, s === 'id-token' ? 'none' : s === 'metadata' ? 'read' : 'write']),
) as Permissions;

export class PermissionsError extends Error {}

/** Resolves a `permissions:` value (mapping, `read-all`, `write-all`, `{}`) to one level per scope. */
export function resolvePermissions(value: unknown): Permissions {
  if (value === undefined || value === null) return { ...PERMISSIVE_DEFAULT };
  if (value === 'read-all') return Object.fromEntries(SCOPES.map((s) => [s, s === 'id-token' ? 'none' : 'read'])) as Permissions;
  if (value === 'write-all') return Object.fromEntries(SCOPES.map((s) => [s, 'write'])) as Permissions;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new PermissionsError(`permissions: '${String(value)}' is not read-all, write-all or a mapping`);
  // Any explicit mapping sets every scope it does not name to none (metadata stays readable).
  const out: Permissions = Object.fromEntries(SCOPES.map((s) => [s, s === 'metadata' ? 'read' : 'none'])) as Permissions;
  for (const [scope, level] of Object.entries(value as Record<string, unknown>)) {
    if (level !== 'read' && level !== 'write' && level !== 'none')
      throw new PermissionsError(`permissions.${scope}: '${String(level)}' is not read, write or none`);
    out[scope as PermissionScope] = level;
  }
  return out;
}

/** A fresh token for one job, registered on the fake GitHub with exactly these permissions. */
export function issueJobToken(github: FakeGitHubApi | undefined, permissions: Permissions): string {
  const token = `ghs_job_${randomBytes(12).toString('hex')}`;
  if (github) {
    const identity: FakeIdentity = {
      login: 'github-actions[bot]',
      id: 41898282,
      type: 'Bot',
      access: 'write',
      installation: true,
      permissions,
    };
    github.server.addIdentity(token, identity);
  }
  return token;
}

export function describePermissions(p: Permissions): string {
  if (JSON.stringify(p) === JSON.stringify(PERMISSIVE_DEFAULT)) return 'permissive default (write on every scope except id-token)';
  const granted = Object.entries(p).filter(([s, l]) => l !== 'none' && s !== 'metadata');
  return granted.length ? granted.map(([s, l]) => `${s}: ${l}`).join(', ') : 'none';
}
