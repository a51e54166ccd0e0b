/** GitHub asks for at least one second between content-creating requests. */
export const WRITE_GAP_MS = 1_000;

/**
 * The process's one queue for comment writes: one at a time, each starting at least a second after
 * the previous one started. A write is a function that computes its body when its turn comes, so
 * nothing queued goes out stale.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private lastStart = -Infinity;

  constructor(
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly now: () => number,
    private readonly gapMs = WRITE_GAP_MS,
  ) {}

  run<T>(write: () => Promise<T>): Promise<T> {
    const turn = this.tail.then(async () => {
      const wait = this.lastStart + this.gapMs - this.now();
      if (wait > 0) await this.sleep(wait);
      this.lastStart = this.now();
      return write();
    });
    this.tail = turn.catch(() => undefined);
    return turn;
  }
}
