import { ApiFailure, apiFailure } from './api-error.js';
import { isOwnComment, type CommentStore, type DashboardComment, type Identity } from './comments.js';
import {
  compareRuns,
  reduceRecords,
  signature,
  type AnyRecord,
  type ManifestEntry,
  type RecordStore,
  type StageRecord,
  type StageWrite,
} from './records.js';
import { dashboardSha7, isDashboardOf, readCache, renderDashboard, shortSha, type KnownOutput } from './render.js';
import { deriveView, type DashboardView } from './view.js';
import type { WriteQueue } from './write-queue.js';

export interface SyncRequest {
  mode: 'init' | 'update';
  marker: string;
  /** The title input: declared by init, else used when no init declared one. */
  title: string;
  sha: string;
  /** init: the stages this run declares. */
  declared: { key: string; name: string }[];
  /** init: which declared stages to reset (true: all, false: none, or these keys). */
  reset: boolean | string[];
  run: number;
  attempt: number;
  /** This run's link (the manifest's target). */
  link: string;
  update?: StageWrite;
  commentId?: number;
  minimizePrevious: boolean;
}

export interface Logger {
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}

export interface SyncDeps {
  comments: CommentStore;
  /** The record store; mode none reads the records from the current comment. */
  records(current: () => DashboardComment | undefined): RecordStore;
  identity(): Promise<Identity>;
  queue: WriteQueue;
  minimize(nodeId: string): Promise<void>;
  sleep(ms: number): Promise<void>;
  random(): number;
  log: Logger;
  /** Write/re-read rounds before giving up. */
  maxRounds?: number;
  /** The longest a rate-limited comment write waits before re-rendering (GitHub's Retry-After is often 60 s). */
  rateLimitWaitCapMs?: number;
}

export interface SyncResult {
  outcome: 'written' | 'unchanged' | 'stale' | 'forbidden';
  comment?: DashboardComment;
  created: boolean;
  body: string;
  view: DashboardView;
  rounds: number;
  commentWrites: number;
  /** The newer record that made this update stale. */
  recorded?: StageRecord;
  error?: ApiFailure;
}

export const MAX_ROUNDS = 12;
const DEFAULT_TITLE = 'Commit Dashboard';
export const RATE_LIMIT_WAIT_CAP_MS = 5_000;

/**
 * Writes this step's stage record, then makes the comment a view of the records: render, write, read
 * the records again, and repeat until the records it rendered from are the records it reads after its
 * write landed (or until the comment, read after that, already shows them). See the README's
 * concurrency section for why the last comment written then reflects every record acknowledged before it.
 */
export async function syncDashboard(req: SyncRequest, deps: SyncDeps): Promise<SyncResult> {
  const { comments, log, queue } = deps;
  const maxRounds = deps.maxRounds ?? MAX_ROUNDS;
  const sha7 = shortSha(req.sha);
  let identity: Identity | undefined;
  let comment: DashboardComment | undefined;
  let previous: DashboardComment | undefined;
  let created = false;
  let commentWrites = 0;

  const own = async () => (identity ??= await deps.identity());
  const dashboardsIn = async (list: DashboardComment[]) => {
    const id = await own();
    return list.filter((c) => isOwnComment(c, id) && dashboardSha7(c.body, req.marker) !== undefined);
  };

  /** Newest comments first (from the Link header's last page), stopping at the first page with this commit's dashboard. */
  const locate = async (): Promise<DashboardComment | undefined> => {
    const first = await comments.page(1);
    for (let p = first.last; p >= 1; p--) {
      const page = p === 1 ? first.comments : (await comments.page(p)).comments;
      const mine = await dashboardsIn(page);
      const current = mine.filter((c) => isDashboardOf(c.body, req.marker, sha7)).sort((a, b) => a.id - b.id);
      previous ??= mine.filter((c) => !isDashboardOf(c.body, req.marker, sha7)).sort((a, b) => b.id - a.id)[0];
      if (current.length > 0) return current[0];
    }
    return undefined;
  };

  if (req.commentId !== undefined) {
    const c = await comments.get(req.commentId);
    if (c && isDashboardOf(c.body, req.marker, sha7)) comment = c;
    else
      log.info(
        `Comment ${req.commentId} is ${c ? `not the '${req.marker}' dashboard of ${sha7}` : 'gone'}; looking the dashboard up by its marker.`,
      );
  }
  comment ??= await locate();
  const cache = comment
    ? readCache(comment.body, req.marker)
    : { outputs: new Map<number, KnownOutput>(), records: undefined, title: undefined };
  const outputs = new Map(cache.outputs);
  const records = deps.records(() => comment);
  if (comment && !cache.records) {
    log.notice(
      `The dashboard comment ${comment.id} has no readable state (hand-edited, or written by another tool): it is rebuilt from the stage records.`,
    );
  } else if (!comment && req.commentId !== undefined) {
    log.notice(`The dashboard comment ${req.commentId} no longer exists: a new one is rebuilt from the stage records.`);
  }

  // 1. This step's records: the truth, written before any view of it.
  const mine: AnyRecord[] = [];
  if (req.mode === 'init' && req.declared.length > 0) {
    const entries: ManifestEntry[] = req.declared.map((d) => ({
      key: d.key,
      name: d.name,
      reset: req.reset === true || (Array.isArray(req.reset) && req.reset.includes(d.key)),
    }));
    const title = req.title === DEFAULT_TITLE ? undefined : req.title;
    mine.push(...(await records.writeManifest({ run: req.run, attempt: req.attempt, title, link: req.link, entries })));
  }
  let recorded: StageRecord | undefined;
  if (req.update) {
    const newer = (cache.records ?? []).find(
      (r): r is StageRecord => r.kind === 'stage' && r.key === req.update!.key && compareRuns(r, req.update!) > 0,
    );
    if (newer && mine.length === 0) {
      // A newer run already holds this stage: writing would only show the older result in the checks list.
      return {
        outcome: 'stale',
        comment,
        created: false,
        body: comment!.body,
        view: deriveView(cache.records ?? []),
        rounds: 0,
        commentWrites: 0,
        recorded: newer,
      };
    }
    const current = (cache.records ?? []).find((r): r is StageRecord => r.kind === 'stage' && r.key === req.update!.key);
    const record = await records.writeStage(req.update, current);
    mine.push(record);
    if (req.update.output) outputs.set(record.id, { text: req.update.output, cut: 0 });
  }

  const learn = (list: AnyRecord[]) => {
    for (const r of list)
      if (r.kind === 'stage' && r.output && !r.outputCut && !outputs.has(r.id)) outputs.set(r.id, { text: r.output, cut: 0 });
  };
  /** Reads the records, and the comment to see whether it already shows them. */
  const refresh = async (): Promise<{ fresh: AnyRecord[]; shown: boolean }> => {
    const fresh = reduceRecords(await records.list());
    learn(fresh);
    if (!comment) return { fresh, shown: false };
    const now = await comments.get(comment.id);
    if (!now) {
      log.notice(`The dashboard comment ${comment.id} was deleted: it is rebuilt from the stage records.`);
      comment = undefined;
      return { fresh, shown: false };
    }
    comment = now;
    const seen = readCache(now.body, req.marker);
    for (const [id, o] of seen.outputs) if (!outputs.has(id)) outputs.set(id, o);
    return { fresh, shown: seen.records !== undefined && signature(seen.records) === signature(fresh) };
  };

  // The first render may start from the comment's cache plus this step's records: the check after the write decides.
  let snapshot = cache.records ? reduceRecords([...cache.records, ...mine]) : reduceRecords(await records.list());
  learn(snapshot);
  let body = '';
  let view = deriveView(snapshot);
  let round = 0;
  let done = false;
  while (!done && round < maxRounds) {
    round++;
    view = deriveView(snapshot);
    body = renderDashboard({ marker: req.marker, sha: req.sha, view, fallbackTitle: cache.title ?? req.title, records: snapshot, outputs });
    try {
      if (comment) {
        const target = comment;
        const written = await queue.run(() => comments.update(target.id, body));
        commentWrites++;
        if (!written) {
          log.notice(`The dashboard comment ${target.id} was deleted: it is rebuilt from the stage records.`);
          comment = undefined;
          continue;
        }
        comment = written;
      } else {
        const made = await queue.run(() => comments.create(body));
        commentWrites++;
        created = true;
        log.info(`Created the dashboard comment ${made.url}.`);
        comment = await converge(made);
        if (comment.id !== made.id) continue;
      }
    } catch (error) {
      const failure = apiFailure('comment write', error);
      if (failure.forbidden)
        return { outcome: 'forbidden', comment, created: false, body, view, rounds: round, commentWrites, error: failure };
      if (round >= maxRounds) throw failure;
      const cap = deps.rateLimitWaitCapMs ?? RATE_LIMIT_WAIT_CAP_MS;
      const wait = failure.rateLimited ? Math.min(failure.retryAfterMs ?? 60_000, cap) : Math.min(8_000, 500 * 2 ** (round - 1));
      log.info(
        `${failure.message}; re-reading the records in ${Math.round(wait / 100) / 10} s and rendering again (never re-sending the old body).`,
      );
      await deps.sleep(wait + deps.random() * 500);
      const { fresh, shown } = await refresh();
      if (shown) done = true;
      snapshot = fresh;
      continue;
    }
    const after = reduceRecords(await records.list());
    learn(after);
    if (signature(after) === signature(snapshot)) {
      done = true;
      break;
    }
    log.debug(`round ${round}: the records changed while the comment was written; rendering again.`);
    // Others are writing: a jittered, growing pause lets their records land, and often one of them renders them all.
    await deps.sleep((0.5 + deps.random()) * Math.min(3_000, 400 * 2 ** (round - 1)));
    const { fresh, shown } = await refresh();
    snapshot = fresh;
    if (shown) {
      view = deriveView(snapshot);
      body = comment?.body ?? body;
      done = true;
    }
  }
  if (!done) {
    throw new Error(
      `The dashboard of ${sha7} did not settle after ${round} rounds of other jobs' writes; the stage records are written, and the next update renders them.`,
    );
  }

  if (req.update) {
    const winner = snapshot.find((r): r is StageRecord => r.kind === 'stage' && r.key === req.update!.key);
    if (winner && compareRuns(winner, req.update) > 0) recorded = winner;
  }
  if (req.mode === 'init' && created && req.minimizePrevious && previous) {
    try {
      await deps.minimize(previous.nodeId);
      log.info(`Minimized the previous commit's dashboard ${previous.url} as outdated.`);
    } catch (error) {
      log.warning(
        `Could not minimize the previous dashboard ${previous.url}: ${apiFailure('POST /graphql (minimizeComment)', error).message}.`,
      );
    }
  }
  return {
    outcome: recorded ? 'stale' : 'written',
    comment,
    created,
    body,
    view,
    rounds: round,
    commentWrites,
    ...(recorded ? { recorded } : {}),
  };

  /** Concurrent creators keep the oldest dashboard: a newer duplicate of ours is deleted. */
  async function converge(made: DashboardComment): Promise<DashboardComment> {
    const oldest = (await locate()) ?? made;
    if (oldest.id < made.id) {
      await queue.run(() => comments.remove(made.id));
      created = false;
      log.info(`Another job created this commit's dashboard first (comment ${oldest.id}); deleted the duplicate ${made.id}.`);
    }
    return oldest.id < made.id ? oldest : made;
  }
}
