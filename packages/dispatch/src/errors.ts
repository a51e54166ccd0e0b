/**
 * What went wrong, for an app to map to its own pages:
 * - auth: the token was rejected (401)
 * - permission: the token may not dispatch (403 without a rate limit)
 * - not-found: the repository, workflow or ref does not exist (or the token cannot see it)
 * - invalid-inputs: GitHub rejected the inputs, or the workflow has no workflow_dispatch trigger (422)
 * - rate-limited: a primary or secondary rate limit outlasted the retries
 * - unidentified: the workflow was dispatched but its run could not be told apart from others
 */
export type DispatchErrorKind = 'auth' | 'permission' | 'not-found' | 'invalid-inputs' | 'rate-limited' | 'unidentified';

export interface DispatchErrorDetails {
  /** HTTP status of GitHub's answer, when there was one. */
  status?: number;
  /** GitHub's own message. */
  githubMessage?: string;
  /** invalid-inputs: the inputs GitHub named. */
  offendingInputs?: string[];
  /** invalid-inputs: what the workflow declares on that ref (name -> description), when it could be read. */
  declaredInputs?: Record<string, string>;
  /** not-found: the workflow files on that ref, when they could be listed. */
  workflows?: string[];
  /** unidentified: the workflow's runs page, where the user can find the run. */
  runsUrl?: string;
  /** rate-limited: when the limit resets (ISO time), when GitHub said. */
  resetAt?: string;
  /** unidentified: the workflow run was dispatched (a re-try would start a second one). */
  dispatched?: boolean;
}

/** One sentence with the fix; `kind` says which class of problem it is. */
export class DispatchError extends Error {
  constructor(
    readonly kind: DispatchErrorKind,
    message: string,
    readonly details: DispatchErrorDetails = {},
  ) {
    super(message);
    this.name = 'DispatchError';
  }
}

export function isDispatchError(error: unknown): error is DispatchError {
  return error instanceof DispatchError;
}
