import { UserError } from '@pipeline-actions/kit';

/** A pull request's head as the API reports it now (not as the comment's payload remembers it). */
export interface PullHead {
  number: number;
  headSha: string;
  headRef: string;
  /** The head repository's full name; '' when the fork was deleted. */
  headRepo: string;
  baseRef: string;
  baseRepo: string;
  state: string;
}

/** A role from GET .../collaborators/{username}/permission; undefined when GitHub answers 404. */
export interface ActorRole {
  roleName: string;
  /** The legacy base role: admin, write, read or none. */
  permission: string;
}

/** The three reads and one write the action makes; a unit test passes a plain object. */
export interface GitHubReader {
  permission(login: string): Promise<ActorRole | undefined>;
  pull(number: number): Promise<PullHead>;
  reactToComment(commentId: number, content: '-1' | 'confused' | 'eyes'): Promise<void>;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** The Octokit-backed reader; the client loads only when a run needs the API. */
export async function createGitHubReader(token: string, repository: string): Promise<GitHubReader> {
  const { createOctokit } = await import('@pipeline-actions/kit/github');
  const octokit = createOctokit(token);
  const [owner = '', repo = ''] = repository.split('/');
  const denied = (what: string, scope: string, error: unknown): UserError =>
    new UserError(
      `Could not read ${what} (HTTP ${statusOf(error) ?? 'error'}: ${(error as Error).message.split('\n')[0]}): give the job's token '${scope}' (permissions: ${scope}) or pass a token that has it in 'token'.`,
    );
  return {
    async permission(login) {
      try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: login });
        return { roleName: data.role_name ?? '', permission: data.permission ?? '' };
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw denied(`the repository permission of '${login}'`, 'metadata: read', error);
      }
    },
    async pull(number) {
      try {
        const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
        return {
          number,
          headSha: data.head.sha,
          headRef: data.head.ref,
          headRepo: data.head.repo?.full_name ?? '',
          baseRef: data.base.ref,
          baseRepo: data.base.repo.full_name,
          state: data.state,
        };
      } catch (error) {
        if (statusOf(error) === 404)
          throw new UserError(
            `Pull request #${number} was not found in ${repository} (HTTP 404): the comment's pull request cannot be resolved, so no command runs.`,
          );
        throw denied(`pull request #${number}`, 'pull-requests: read', error);
      }
    },
    async reactToComment(commentId, content) {
      await octokit.rest.reactions.createForIssueComment({ owner, repo, comment_id: commentId, content });
    },
  };
}
