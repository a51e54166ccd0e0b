// The `github` context and a realistic default payload per event, merged under the caller's payload
// (https://docs.github.com/actions/reference/workflows-and-actions/contexts#github-context,
//  https://docs.github.com/webhooks/webhook-events-and-payloads).
export const DEFAULT_REPOSITORY = 'octo-org/pipeline-demo';
export const DEFAULT_SHA = '84fb588e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a';

export interface EventOptions {
  event: string;
  repository: string;
  ref: string;
  sha: string;
  actor: string;
  /** The actor's association with the repository (author_association of a comment). */
  association: string;
  inputs: Record<string, unknown>;
  cron?: string;
  comment?: string;
  workflowPath: string;
  serverUrl: string;
  apiUrl: string;
}

function user(login: string, serverUrl: string): Record<string, unknown> {
  const id = Math.abs([...login].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7)) % 10_000_000;
  return { login, id, type: login.endsWith('[bot]') ? 'Bot' : 'User', html_url: `${serverUrl}/${login}` };
}

function repository(full: string, serverUrl: string): Record<string, unknown> {
  const [owner, name] = full.split('/');
  return {
    id: 123456789,
    name,
    full_name: full,
    private: false,
    owner: user(owner, serverUrl),
    html_url: `${serverUrl}/${full}`,
    default_branch: 'main',
    fork: false,
  };
}

export function defaultPayload(o: EventOptions): Record<string, unknown> {
  const repo = repository(o.repository, o.serverUrl);
  const sender = user(o.actor, o.serverUrl);
  const branch = o.ref.replace(/^refs\/heads\//, '');
  const pull = (number: number) => ({
    number,
    state: 'open',
    title: 'Change the pipeline',
    user: sender,
    html_url: `${o.serverUrl}/${o.repository}/pull/${number}`,
    url: `${o.apiUrl}/repos/${o.repository}/pulls/${number}`,
    head: { ref: 'feature', sha: o.sha, repo, label: `${repo.owner && (repo.owner as { login: string }).login}:feature` },
    base: { ref: 'main', sha: '0'.repeat(40).replace(/^0/, '1'), repo },
    draft: false,
    merged: false,
  });
  switch (o.event) {
    case 'workflow_dispatch':
      return { inputs: o.inputs, ref: o.ref, repository: repo, sender, workflow: o.workflowPath };
    case 'schedule':
      return { schedule: o.cron ?? '', repository: repo, workflow: o.workflowPath };
    case 'push':
      return {
        ref: o.ref,
        before: '0'.repeat(40),
        after: o.sha,
        created: false,
        deleted: false,
        forced: false,
        repository: repo,
        pusher: { name: o.actor },
        sender,
        head_commit: { id: o.sha, message: 'Update the pipeline', timestamp: new Date().toISOString(), author: { name: o.actor } },
        commits: [{ id: o.sha, message: 'Update the pipeline' }],
      };
    case 'pull_request':
    case 'pull_request_target':
      return { action: 'opened', number: 1, pull_request: pull(1), repository: repo, sender };
    case 'issue_comment':
      return {
        action: 'created',
        issue: {
          number: 1,
          title: 'Change the pipeline',
          state: 'open',
          user: sender,
          pull_request: { url: `${o.apiUrl}/repos/${o.repository}/pulls/1`, html_url: `${o.serverUrl}/${o.repository}/pull/1` },
        },
        comment: {
          id: 900001,
          body: o.comment ?? '',
          user: sender,
          author_association: o.association,
          html_url: `${o.serverUrl}/${o.repository}/pull/1#issuecomment-900001`,
        },
        repository: repo,
        sender,
      };
    case 'workflow_run':
      return {
        action: 'completed',
        workflow_run: {
          id: 1000,
          name: 'CI',
          event: 'push',
          status: 'completed',
          conclusion: 'success',
          head_branch: branch,
          head_sha: o.sha,
        },
        repository: repo,
        sender,
      };
    case 'repository_dispatch':
      return { action: 'dispatch', branch, client_payload: {}, repository: repo, sender };
    default:
      return { repository: repo, sender };
  }
}

/** Deep merge: objects merge key by key, anything else in `over` replaces. */
export function mergePayload(base: Record<string, unknown>, over: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!over) return base;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? mergePayload(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/** github.ref for the event: pull requests run on their merge ref, comments and schedules on the default branch. */
export function refFor(event: string, payload: Record<string, unknown>, given: string | undefined): string {
  if (given) return given;
  if (event === 'pull_request') return `refs/pull/${(payload.number as number | undefined) ?? 1}/merge`;
  if (event === 'push' && typeof payload.ref === 'string') return payload.ref;
  return 'refs/heads/main';
}
