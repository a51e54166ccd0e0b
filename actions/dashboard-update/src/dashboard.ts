import { httpStatus } from '@pipeline-actions/kit/github';
import { isOwnComment, type CommentStore, type DashboardComment, type Identity } from './comments.js';
import { dashboardSha7, extractState, fitState, isDashboardOf, renderDashboard, shortSha } from './render.js';
import {
  applyInit,
  applyUpdate,
  holdsStages,
  holdsUpdate,
  mergeStates,
  newState,
  type DashboardState,
  type RunRef,
  type StageDefinition,
  type StageRecord,
  type StageUpdate,
} from './state.js';

export interface DashboardRequest {
  mode: 'init' | 'update';
  marker: string;
  title: string;
  /** The commit; undefined when it may come from the `comment-id` dashboard (else `resolveSha`). */
  sha?: string;
  /** Stages declared by init, and the stages a dashboard created by an update starts with. */
  stages: StageDefinition[];
  /** The stage change (required in update mode, optional in init). */
  update?: StageUpdate;
  ref: RunRef;
  commentId?: number;
}

export interface Logger {
  info(message: string): void;
  notice(message: string): void;
  debug(message: string): void;
}

export interface DashboardDeps {
  store: CommentStore;
  identity(): Promise<Identity>;
  resolveSha(): Promise<string>;
  sleep(ms: number): Promise<void>;
  random(): number;
  now(): number;
  log: Logger;
  /** Write-verify rounds before giving up. */
  maxAttempts?: number;
}

export type DashboardOutcome = 'written' | 'unchanged' | 'stale' | 'forbidden';

export interface DashboardResult {
  outcome: DashboardOutcome;
  comment?: DashboardComment;
  created: boolean;
  sha: string;
  state: DashboardState;
  body: string;
  attempts: number;
  /** The record that made an update stale. */
  recorded?: StageRecord;
  /** The refused write (outcome 'forbidden'). */
  error?: unknown;
}

/** A failure of the dashboard itself (not of the input): reported as a warning unless fail-on-error. */
export class DashboardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DashboardError';
  }
}

/** A write refused for lack of permission (not a rate limit, which the throttling plugin handles). */
export function isPermissionDenied(error: unknown): boolean {
  const status = httpStatus(error);
  const message = error instanceof Error ? error.message : '';
  return (status === 403 && !/rate limit/i.test(message)) || (status === 404 && /not accessible/i.test(message));
}

/** GitHub asks for one second between writes; the throttling plugin enforces it per process. */
const WRITE_GAP_MS = 1_100;
/** Duplicates older than this are leftovers of a crashed writer and are cleaned up by anyone. */
const ABANDONED_DUPLICATE_MS = 120_000;

class Forbidden extends Error {
  constructor(readonly refusal: unknown) {
    super('forbidden');
  }
}

interface Located {
  comment: DashboardComment;
  duplicates: DashboardComment[];
}

/**
 * Creates or updates the dashboard of one commit so that concurrent writers never lose a change:
 * write, wait for the others' in-flight writes to land, re-read, and when this change is missing
 * (another writer's stale copy replaced it) merge again and retry with jittered backoff.
 * Concurrent creators converge on the oldest comment and delete their duplicates.
 */
export async function syncDashboard(req: DashboardRequest, deps: DashboardDeps): Promise<DashboardResult> {
  const { store, log } = deps;
  const maxAttempts = deps.maxAttempts ?? 10;
  let maxRtt = 0;
  let lastWriteAt = -Infinity;
  let identity: Identity | undefined;
  let sha = req.sha;
  let created: DashboardComment | undefined;
  let attempts = 0;
  let pending: { state: DashboardState; body: string } | undefined;

  const timed = async <T>(call: () => Promise<T>): Promise<T> => {
    const started = deps.now();
    try {
      return await call();
    } finally {
      maxRtt = Math.max(maxRtt, deps.now() - started);
    }
  };
  const write = async <T>(call: () => Promise<T>): Promise<T> => {
    lastWriteAt = deps.now();
    try {
      return await timed(call);
    } catch (error) {
      if (isPermissionDenied(error)) throw new Forbidden(error);
      throw error;
    }
  };
  // Long enough for another writer's read-modify-write that began before ours landed to land too.
  const settle = () => deps.sleep(Math.min(10_000, Math.max(300, 2 * maxRtt + 200)));
  // A base read longer ago than this is read again before writing on it (a stalled process).
  const freshFor = () => 500;
  let readAt = -Infinity;
  const read = async (id: number) => {
    const comment = await timed(() => store.get(id));
    readAt = deps.now();
    return comment;
  };
  const backoff = (attempt: number) => {
    const gap = Math.max(0, WRITE_GAP_MS - (deps.now() - lastWriteAt));
    return deps.sleep(gap + deps.random() * Math.min(4_000, 500 * 2 ** (attempt - 1)));
  };

  const compose = (base: DashboardState, creating: boolean) => {
    let state = base;
    if (req.mode === 'init' || creating) state = applyInit(state, req.stages, req.ref, req.title);
    if (!req.update) return { kind: 'applied' as const, state };
    return applyUpdate(state, req.update);
  };
  const holds = (state: DashboardState | undefined) =>
    state !== undefined &&
    (req.update ? holdsUpdate(state, req.update) : true) &&
    (req.mode === 'init' ? holdsStages(state, req.stages) : true);

  const locate = async (commit: string): Promise<Located | undefined> => {
    const sha7 = shortSha(commit);
    const candidates = (await timed(() => store.list())).filter((c) => isDashboardOf(c.body, req.marker, sha7));
    readAt = deps.now();
    if (candidates.length === 0) return undefined;
    identity ??= await timed(() => deps.identity());
    // Comments by the exact identity first (an installation token also accepts other bots), then the oldest.
    const own = candidates
      .filter((c) => isOwnComment(c, identity!))
      .sort(
        (a, b) =>
          Number(b.login === identity!.login) - Number(a.login === identity!.login) ||
          a.createdAt.localeCompare(b.createdAt) ||
          a.id - b.id,
      );
    if (own.length === 0) {
      log.debug(`${candidates.length} dashboard comment(s) for ${sha7} were written by others; they are ignored.`);
      return undefined;
    }
    return { comment: own[0], duplicates: own.slice(1) };
  };

  const result = (
    outcome: DashboardOutcome,
    comment: DashboardComment | undefined,
    state: DashboardState,
    body: string,
    extra: Partial<DashboardResult> = {},
  ): DashboardResult => ({
    outcome,
    comment,
    created: created !== undefined && comment !== undefined && comment.id === created.id,
    sha: sha ?? state.sha,
    state,
    body,
    attempts,
    ...extra,
  });

  try {
    let located: Located | undefined;
    if (req.commentId !== undefined) {
      const comment = await read(req.commentId);
      const sha7 = comment ? dashboardSha7(comment.body, req.marker) : undefined;
      const state = comment ? extractState(comment.body, req.marker) : undefined;
      if (comment && sha7 && state && (!sha || shortSha(sha) === sha7)) {
        located = { comment, duplicates: [] };
        sha ??= state.sha;
      } else {
        log.info(
          `Comment ${req.commentId} is not a '${req.marker}' dashboard${sha ? ` of ${shortSha(sha)}` : ''}; looking the dashboard up by its marker.`,
        );
      }
    }
    sha ??= await deps.resolveSha();
    const commit = sha;
    if (!located) located = await locate(commit);

    while (attempts < maxAttempts) {
      if (!located) {
        // No dashboard yet: create one, then converge with any created concurrently.
        attempts++;
        const state = compose({ ...newState(commit, req.title) }, true).state;
        const body = renderDashboard(fitState(state, req.marker), req.marker);
        pending = { state, body };
        const mine = await write(() => store.create(body));
        created = mine;
        log.info(`Created the dashboard comment ${mine.url}.`);
        await settle();
        located = await locate(commit);
        if (!located) {
          log.info('The new dashboard comment disappeared; retrying.');
          continue;
        }
        if (located.comment.id === mine.id) {
          const state2 = extractState(located.comment.body, req.marker);
          if (holds(state2)) {
            const done = await confirm(located.comment, located.duplicates.length > 0);
            if (done) return result('written', done, extractState(done.body, req.marker)!, done.body);
          }
          located = { comment: (await read(mine.id)) ?? mine, duplicates: [] };
          continue;
        }
        // Someone created the dashboard first: ours is a duplicate. Move it into the oldest.
        log.info(`Another job created this commit's dashboard first (comment ${located.comment.id}); merging into it.`);
        const own = located.duplicates.find((d) => d.id === mine.id) ?? mine;
        located = { comment: located.comment, duplicates: [own] };
      }

      const target = located.comment;
      const absorb = located.duplicates.filter(
        (d) => d.id === created?.id || (d.login === identity?.login && deps.now() - Date.parse(d.createdAt) > ABANDONED_DUPLICATE_MS),
      );
      const contended = located.duplicates.length > 0;
      let current: DashboardComment = target;
      let outcome: DashboardResult | undefined;
      for (; attempts < maxAttempts;) {
        attempts++;
        // The throttling plugin holds a write back until a second after the previous one: wait
        // first, so the base read below is not older than the write that uses it.
        if (deps.now() - lastWriteAt < WRITE_GAP_MS) await deps.sleep(WRITE_GAP_MS - (deps.now() - lastWriteAt));
        let gone = false;
        for (let reread = 0; reread < 3 && deps.now() - readAt > freshFor(); reread++) {
          const fresh = await read(current.id);
          if (!fresh) {
            gone = true;
            break;
          }
          current = fresh;
        }
        if (gone) break;
        let base = extractState(current.body, req.marker) ?? newState(commit, req.title);
        for (const dup of absorb) {
          const other = extractState(dup.body, req.marker);
          if (other) base = mergeStates(base, other);
        }
        const composed = compose(base, false);
        if (composed.kind === 'stale') {
          return result('stale', current, base, current.body, { recorded: composed.recorded });
        }
        const state = fitState(composed.state, req.marker);
        const body = renderDashboard(state, req.marker);
        pending = { state, body };
        if (body === current.body || (absorb.length === 0 && req.mode === 'update' && holds(base))) {
          // Nothing to write. After a lost write, still make sure the change stays.
          if (attempts === 1 && !contended) {
            outcome = result('unchanged', current, base, current.body);
            break;
          }
          const done = await confirm(current, true);
          if (done) {
            outcome = result('written', done, extractState(done.body, req.marker)!, done.body);
            break;
          }
          await backoff(attempts);
          readAt = -Infinity;
          continue;
        }
        const baseAge = deps.now() - readAt;
        const written = await write(() => store.update(current.id, body));
        log.debug(
          `attempt ${attempts}: wrote comment ${current.id} on a base read ${baseAge} ms before; write took ${deps.now() - lastWriteAt} ms`,
        );
        if (!written) break;
        await settle();
        const check = await read(current.id);
        if (!check) break;
        log.debug(
          `attempt ${attempts}: verify ${holds(extractState(check.body, req.marker)) ? 'found' : 'missed'} the change (body ${check.body === body ? 'unchanged' : 'changed'}), max round trip ${maxRtt} ms`,
        );
        if (holds(extractState(check.body, req.marker))) {
          // A slow write means a slow system: others' stale copies may still be on their way.
          const slow = deps.now() - lastWriteAt + baseAge > 10_000;
          const done = await confirm(check, contended || attempts > 1 || check.body !== body || slow);
          if (done) {
            outcome = result('written', done, extractState(done.body, req.marker)!, done.body);
            break;
          }
        }
        log.info(`Another job's write replaced this change (attempt ${attempts} of ${maxAttempts}); merging again.`);
        await backoff(attempts);
        // Whatever was read before the backoff is stale now.
        readAt = -Infinity;
      }
      if (outcome) {
        for (const dup of absorb) {
          if (await write(() => store.remove(dup.id))) log.info(`Deleted the duplicate dashboard comment ${dup.id}.`);
        }
        return outcome;
      }
      // The target vanished (a concurrent creator deleted its duplicate): look again.
      located = await locate(commit);
    }
    throw new DashboardError(
      `The dashboard of ${shortSha(commit)} could not be updated after ${attempts} attempts: other jobs kept replacing the comment. Re-run the job, or give the dashboard jobs more time apart.`,
    );
  } catch (error) {
    if (error instanceof Forbidden) {
      const state = pending?.state ?? newState(sha ?? '', req.title);
      return result('forbidden', undefined, state, pending?.body ?? renderDashboard(state, req.marker), { error: error.refusal });
    }
    throw error;
  }

  /**
   * After a contended write, wait once more and re-read: a writer whose read came before our write
   * may still land a stale copy. Returns the confirmed comment, or undefined when the change is gone.
   */
  async function confirm(checked: DashboardComment, wasContended: boolean): Promise<DashboardComment | undefined> {
    if (!wasContended) return checked;
    // Others are writing: wait until the comment stays unchanged for one settle period.
    let last = checked;
    for (let round = 0; round < 6; round++) {
      await settle();
      const again = await read(checked.id);
      if (!again || !holds(extractState(again.body, req.marker))) {
        log.debug(`confirm ${round + 1}: the change is gone`);
        return undefined;
      }
      log.debug(`confirm ${round + 1}: change present, body ${again.body === last.body ? 'quiet' : 'still changing'}`);
      if (again.body === last.body) return again;
      last = again;
    }
    return last;
  }
}
