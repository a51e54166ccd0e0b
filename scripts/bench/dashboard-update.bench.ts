// pnpm bench dashboard-update: concurrent updates of one dashboard, each from its own process of the bundle, with
// 50-3,000 ms of latency per request and one writer's comment write stalled until every other writer has finished.
// Lost updates (must be 0), comment writes, requests and wall time per update at 20 and 50 writers, next to an
// unguarded read-modify-write (what sticky-comment actions do) under the same race, and the comment-only numbers of
// the previous version (129-251 writes and 514-1,021 requests for 50 updates).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAction, startFakeGitHub, type ActionResult, type FakeGitHubApi } from '../../packages/testing/src/index.js';
import { median, type BenchRow } from './measure.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const actionDir = join(root, 'actions', 'dashboard-update');
const REPO = 'octo-org/pipeline-demo';
const LATENCY = { minMs: 50, maxMs: 3_000 };
const PREVIOUS_AT_50 = '129-251 comment writes, 514-1,021 requests';

const shaOf = (pr: number) => `${String(pr).padStart(7, '0')}${'d'.repeat(33)}`;
const markerOf = (pr: number) => `<!-- infra-dashboard:${shaOf(pr).slice(0, 7)} -->`;

function prEvent(pr: number) {
  return { eventName: 'pull_request', event: { number: pr, pull_request: { number: pr, head: { sha: shaOf(pr) } } } };
}

function step(github: FakeGitHubApi, pr: number, inputs: Record<string, string>): Promise<ActionResult> {
  return runAction(actionDir, {
    ...prEvent(pr),
    inputs: { token: 'ghs_writetoken', ...inputs },
    env: github.server.env(),
    timeoutMs: 900_000,
  });
}

function shownStatuses(github: FakeGitHubApi, pr: number): Map<string, string> {
  const body = github.issues.issueComments(pr).find((c) => c.body.startsWith(markerOf(pr)))?.body ?? '';
  const rows = new Map<string, string>();
  for (const line of body.split('\n')) {
    const m = /^\| (.+?) \| (\S+) \|/.exec(line);
    if (m && m[1] !== 'Stage' && !m[1].startsWith('-')) rows.set(m[1], m[2]);
  }
  return rows;
}

/** The baseline: read the comment, turn its own row to ✅, write it back. No record, no re-read. */
async function unguardedUpdate(url: string, commentId: string, key: string): Promise<void> {
  const headers = { authorization: 'token ghs_writetoken', 'content-type': 'application/json' };
  const res = await fetch(`${url}/repos/${REPO}/issues/comments/${commentId}`, { headers });
  const { body } = (await res.json()) as { body: string };
  const next = body
    .split('\n')
    .map((l) => (l.startsWith(`| ${key} | `) ? l.replace(/^(\| [^|]+ \| )\S+/, '$1✅') : l))
    .join('\n');
  await fetch(`${url}/repos/${REPO}/issues/comments/${commentId}`, { method: 'PATCH', headers, body: JSON.stringify({ body: next }) });
}

interface Race {
  lost: number;
  writes: number;
  requests: number;
  wallMs: number;
  stepMedianMs: number;
  failed: number;
}

async function race(github: FakeGitHubApi, pr: number, writers: number, ours: boolean): Promise<Race> {
  const keys = Array.from({ length: writers }, (_, i) => `stage-${String(i).padStart(2, '0')}`);
  github.server.latency = { minMs: 0, maxMs: 0 };
  const init = await step(github, pr, { mode: 'init', stages: keys.map((k) => `${k}: ${k}`).join('\n') });
  const commentId = init.outputs['comment-id'];
  github.server.latency = LATENCY;
  const before = github.server.requests.length;
  const hold = github.server.hold({ method: 'PATCH', path: new RegExp(`/issues/comments/${commentId}$`) });
  let finished = 0;
  const started = Date.now();
  const runs = keys.map(async (key) => {
    const t = Date.now();
    try {
      if (ours) return await step(github, pr, { stage: key, status: 'success', 'comment-id': commentId });
      await unguardedUpdate(github.url, commentId, key);
      return { exitCode: 0, durationMs: Date.now() - t, warnings: [] as string[] };
    } finally {
      // The stalled write lands only after every other writer is done.
      if (++finished === writers - 1) hold.release();
    }
  });
  const results = await Promise.all(runs);
  hold.release();
  const wallMs = Date.now() - started;
  github.server.latency = { minMs: 0, maxMs: 0 };
  const requests = github.server.requests.slice(before);
  const shown = shownStatuses(github, pr);
  return {
    lost: keys.filter((k) => shown.get(k) !== '✅').length,
    writes: requests.filter((r) => r.method !== 'GET' && /\/comments(\/|$)/.test(r.path)).length,
    requests: requests.length,
    wallMs,
    stepMedianMs: median(results.map((r) => r.durationMs)),
    failed: results.filter((r) => r.exitCode !== 0).length,
  };
}

export default async function (): Promise<BenchRow[]> {
  const github = await startFakeGitHub();
  const rows: BenchRow[] = [];
  try {
    let pr = 1;
    for (const writers of [20, 50]) {
      const ours = await race(github, pr++, writers, true);
      const base = await race(github, pr++, writers, false);
      const per = (n: number) => (n / writers).toFixed(2);
      rows.push({
        benchmark: `dashboard-update: ${writers} concurrent updates, latency ${LATENCY.minMs}-${LATENCY.maxMs} ms, one comment write stalled until the others finished`,
        ours: `${ours.lost} lost; ${per(ours.writes)} comment writes and ${per(ours.requests)} requests per update`,
        oursMedianMs: ours.stepMedianMs,
        baseline: `unguarded read-modify-write: ${base.lost} lost; ${per(base.writes)} writes, ${per(base.requests)} requests per update`,
        baselineMedianMs: base.stepMedianMs,
        ratio: base.stepMedianMs / ours.stepMedianMs,
        peakRssMb: 0,
        goal: '0 lost updates',
        met: ours.lost === 0 && ours.failed === 0,
        note: `ours: ${ours.writes} comment writes, ${ours.requests} requests, wall ${(ours.wallMs / 1000).toFixed(1)} s for all ${writers}, ${ours.failed} failed steps${writers === 50 ? `; previous comment-only version at 50: ${PREVIOUS_AT_50}` : ''}; times are per step (median), including a Node start`,
      });
    }
  } finally {
    await github.stop();
  }
  return rows;
}
