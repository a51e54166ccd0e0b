// What the promotion chain leaves behind, shown in the transcript: the release record in the build tag, the
// GitHub Release, the commit dashboard comment, the extracted artifact's files.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { check, GITHUB_TOKEN, type DemoContext } from './context.js';

/** The build tag's release record (JSON in the annotated tag message) and the GitHub Release, from the fake's git state. */
export function showReleaseRecord(ctx: DemoContext, version: string): void {
  const git = ctx.github.git.repo(ctx.repo);
  const tagSha = git.refs.get(`refs/tags/build-${version}`);
  const tagObject = tagSha ? git.tags.get(tagSha) : undefined;
  if (
    check(
      ctx,
      `build-${version} is an annotated tag holding the release record`,
      tagObject !== undefined,
      `no annotated tag build-${version}`,
    )
  ) {
    ctx.t.block(`release record (tag build-${version})`, prettyMessage(tagObject!.message));
  }
  const tags = [...git.refs.keys()]
    .filter((r) => r.startsWith('refs/tags/') && r.endsWith(version))
    .map((r) => r.slice('refs/tags/'.length));
  ctx.t.line(`        tags on ${version}: ${tags.sort().join(', ')}`);
  const release = git.releases.find((r) => r.tag_name === `prod-${version}`);
  if (check(ctx, `GitHub Release for prod-${version}`, release !== undefined, `no Release with tag prod-${version}`)) {
    ctx.t.block(`Release "${release!.name ?? release!.tag_name}" (${release!.tag_name})`, release!.body ?? '');
  }
}

export async function showDashboard(ctx: DemoContext, commentId: string, commit: string): Promise<void> {
  const body = await readDashboard(ctx, commentId, commit);
  const visible = body === undefined ? '' : elideHiddenState(body);
  // Only the table rows count: the legend under the table names every status symbol.
  const rows = visible.split('\n').filter((l) => l.startsWith('|'));
  const ok = body !== undefined && rows.length > 2 && !rows.some((l) => l.includes('⏳') || l.includes('🔄'));
  check(
    ctx,
    'the commit dashboard shows every stage finished',
    ok,
    body ? 'a stage is still pending or running' : 'no dashboard comment found',
  );
  if (body !== undefined) ctx.t.block(`dashboard comment on ${commit.slice(0, 7)} (markdown; hidden state elided)`, visible);
}

async function readDashboard(ctx: DemoContext, commentId: string, commit: string): Promise<string | undefined> {
  const headers = { authorization: `token ${GITHUB_TOKEN}`, accept: 'application/vnd.github+json' };
  const api = `${ctx.github.url}/repos/${ctx.repo}`;
  if (commentId) {
    for (const path of [`comments/${commentId}`, `issues/comments/${commentId}`]) {
      const res = await fetch(`${api}/${path}`, { headers });
      if (res.ok) return ((await res.json()) as { body: string }).body;
    }
  }
  const res = await fetch(`${api}/commits/${commit}/comments?per_page=100`, { headers });
  if (!res.ok) return undefined;
  const comments = (await res.json()) as { body: string }[];
  return comments.find((c) => c.body.includes(`:${commit.slice(0, 7)} -->`))?.body;
}

function elideHiddenState(body: string): string {
  return body.replace(/<!--([\s\S]*?)-->/g, (whole, inner: string) =>
    inner.length > 80 ? `<!-- … ${inner.length} characters of stage state … -->` : whole,
  );
}

function prettyMessage(message: string): string {
  const start = message.indexOf('{');
  if (start < 0) return message;
  try {
    return `${message.slice(0, start)}${JSON.stringify(JSON.parse(message.slice(start)), null, 2)}`;
  } catch {
    return message;
  }
}

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 6) return;
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full, depth + 1);
      else out.push(relative(dir, full));
    }
  };
  walk(dir, 0);
  return out;
}
