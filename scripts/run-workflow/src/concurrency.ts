// Concurrency groups: at most one running and one pending run or job per group; a newer pending one replaces
// (cancels) the older pending one, and cancel-in-progress cancels the running one. Shared by every run that uses
// the same LocalServices, so two workflow files run at once contend as on GitHub
// (https://docs.github.com/actions/writing-workflows/choosing-what-your-workflow-does/control-the-concurrency-of-workflows-and-jobs).

interface Holder {
  cancel: () => void;
  admit: (admitted: boolean) => void;
}

interface Group {
  running?: Holder;
  pending?: Holder;
}

export interface Slot {
  /** False when a newer run took this one's place in the queue: it ends as cancelled without running. */
  admitted: boolean;
  release(): void;
}

export class ConcurrencyGroups {
  private readonly groups = new Map<string, Group>();

  /** Waits for the group; `cancel` is called if a later cancel-in-progress arrival cancels this holder. */
  async acquire(name: string, cancelInProgress: boolean, cancel: () => void, onQueued?: () => void): Promise<Slot> {
    const group = this.groups.get(name) ?? {};
    this.groups.set(name, group);
    let admitted = false;
    const holder: Holder = { cancel, admit: () => undefined };
    const release = () => {
      if (!admitted || group.running !== holder) return;
      group.running = group.pending;
      group.pending = undefined;
      group.running?.admit(true);
      if (!group.running) this.groups.delete(name);
    };
    if (!group.running) {
      group.running = holder;
      admitted = true;
      return { admitted, release };
    }
    const wait = new Promise<boolean>((resolve) => (holder.admit = resolve));
    group.pending?.admit(false);
    group.pending = holder;
    onQueued?.();
    if (cancelInProgress) group.running.cancel();
    admitted = await wait;
    return { admitted, release };
  }
}
