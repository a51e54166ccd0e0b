import { UserError } from '@pipeline-actions/kit';
import { httpStatus, type Octokit } from '@pipeline-actions/kit/github';

export interface Repo {
  owner: string;
  repo: string;
}

export interface TagInfo {
  tag: string;
  /** The sha the ref points at (a tag object for annotated tags). */
  refSha: string;
  /** The commit the tag finally points at. */
  commit: string;
  /** The annotated tag's message ('' for a lightweight tag). */
  message: string;
  /** Tagger date of an annotated tag. */
  date?: string;
  /** False for a lightweight tag (a ref straight to a commit: no message, no tagger). */
  annotated: boolean;
  /** Tagger name of an annotated tag (the identity whose token created it through the API). */
  tagger?: string;
}

export type Permission = 'contents: write' | 'contents: read' | 'actions: read' | 'deployments: write' | 'deployments: read';

/** A GitHub API failure turned into the sentence the user needs. */
export function apiError(error: unknown, doing: string, permission: Permission): Error {
  const status = httpStatus(error);
  const message = (error as { message?: string })?.message ?? String(error);
  if (status === 403 || status === 401) {
    return new UserError(
      `${doing} was refused (${status} ${message}): the token needs 'permissions: ${permission}' in the workflow (and the repository must allow it).`,
    );
  }
  if (status === 404 && permission !== 'contents: read') {
    return new UserError(
      `${doing} failed with 404 (${message}): check the repository and that the token has 'permissions: ${permission}'.`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

export async function getTag(octokit: Octokit, repo: Repo, tag: string): Promise<TagInfo | undefined> {
  let ref: { object: { sha: string; type: string } };
  try {
    ({ data: ref } = await octokit.rest.git.getRef({ ...repo, ref: `tags/${tag}` }));
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw apiError(error, `Reading tag ${tag}`, 'contents: read');
  }
  const info: TagInfo = { tag, refSha: ref.object.sha, commit: ref.object.sha, message: '', annotated: ref.object.type === 'tag' };
  let object = ref.object;
  for (let depth = 0; object.type === 'tag' && depth < 5; depth++) {
    const { data } = await octokit.rest.git.getTag({ ...repo, tag_sha: object.sha });
    if (depth === 0) {
      info.message = data.message;
      info.date = data.tagger?.date;
      info.tagger = data.tagger?.name;
    }
    object = data.object;
  }
  info.commit = object.sha;
  return info;
}

export type CreateTagResult = { created: true; info: TagInfo } | { created: false; info: TagInfo };

/**
 * Creates an annotated tag on `commit`. An existing tag on the same commit is success (a re-run);
 * on another commit it is a conflict and nothing is changed.
 */
export async function createAnnotatedTag(
  octokit: Octokit,
  repo: Repo,
  tag: string,
  message: string,
  commit: string,
): Promise<CreateTagResult> {
  const existing = await getTag(octokit, repo, tag);
  if (existing) return sameCommitOrConflict(existing, commit);
  let tagSha: string;
  let date: string | undefined;
  try {
    const { data } = await octokit.rest.git.createTag({ ...repo, tag, message, object: commit, type: 'commit' });
    tagSha = data.sha;
    date = data.tagger?.date;
  } catch (error) {
    throw apiError(error, `Creating the tag object ${tag}`, 'contents: write');
  }
  try {
    await octokit.rest.git.createRef({ ...repo, ref: `refs/tags/${tag}`, sha: tagSha });
  } catch (error) {
    if (httpStatus(error) === 422) {
      const raced = await getTag(octokit, repo, tag);
      if (raced) return sameCommitOrConflict(raced, commit);
    }
    throw apiError(error, `Creating the tag ${tag}`, 'contents: write');
  }
  return { created: true, info: { tag, refSha: tagSha, commit, message, date, annotated: true } };
}

function sameCommitOrConflict(existing: TagInfo, commit: string): CreateTagResult {
  if (existing.commit === commit) return { created: false, info: existing };
  throw new UserError(
    `Tag ${existing.tag} already exists on commit ${existing.commit.slice(0, 7)}, not on ${commit.slice(0, 7)}: a version's tags must all point at the commit it was built from. Nothing was tagged; check which build this version really is.`,
  );
}

/** Every tag starting with `prefix`, with the version after it. */
export async function listTagsWithPrefix(
  octokit: Octokit,
  repo: Repo,
  prefix: string,
): Promise<{ tag: string; version: string; sha: string; type: string }[]> {
  try {
    const refs = await octokit.paginate(octokit.rest.git.listMatchingRefs, { ...repo, ref: `tags/${prefix}`, per_page: 100 });
    return refs.map((r) => {
      const tag = r.ref.replace(/^refs\/tags\//, '');
      return { tag, version: tag.slice(prefix.length), sha: r.object.sha, type: r.object.type };
    });
  } catch (error) {
    throw apiError(error, `Listing the ${prefix}* tags`, 'contents: read');
  }
}

export async function tagDate(octokit: Octokit, repo: Repo, ref: { sha: string; type: string }): Promise<string | undefined> {
  try {
    if (ref.type === 'tag') return (await octokit.rest.git.getTag({ ...repo, tag_sha: ref.sha })).data.tagger?.date;
    return (await octokit.rest.git.getCommit({ ...repo, commit_sha: ref.sha })).data.committer?.date;
  } catch {
    return undefined;
  }
}

/** Finds the Release for `tag` or creates it; re-runs find the first one. */
export async function ensureRelease(
  octokit: Octokit,
  repo: Repo,
  tag: string,
  name: string,
  body: string,
): Promise<{ url: string; created: boolean }> {
  try {
    const { data } = await octokit.rest.repos.getReleaseByTag({ ...repo, tag });
    return { url: data.html_url, created: false };
  } catch (error) {
    if (httpStatus(error) !== 404) throw apiError(error, `Reading the release for ${tag}`, 'contents: write');
  }
  try {
    const { data } = await octokit.rest.repos.createRelease({ ...repo, tag_name: tag, name, body });
    return { url: data.html_url, created: true };
  } catch (error) {
    throw apiError(error, `Creating the release for ${tag}`, 'contents: write');
  }
}
