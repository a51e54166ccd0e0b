import { describe, expect, it } from '@jest/globals';
import type { CommentStore, DashboardComment, Identity } from '../src/comments.js';
import { syncDashboard, type DashboardDeps, type DashboardRequest } from '../src/dashboard.js';
import { DEFAULT_STAGES } from '../src/inputs.js';
import { extractState } from '../src/render.js';
import type { StageUpdate } from '../src/state.js';

const SHA = 'abc1234def5678901234567890abcdef12345678';
const BOT: Identity = { login: 'github-actions[bot]', installation: true };

/** An in-memory comment list with random latency on every call: a plain fake, no HTTP. */
class MemoryStore implements CommentStore {
  readonly kind = 'issue' as const;
  readonly comments: DashboardComment[] = [];
  readonly calls: string[] = [];
  private id = 1;
  constructor(private readonly maxLatencyMs = 0) {}
  private async delay(): Promise<void> {
    if (this.maxLatencyMs > 0) await new Promise((r) => setTimeout(r, Math.random() * this.maxLatencyMs));
  }
  async list() {
    this.calls.push('list');
    await this.delay();
    return this.comments.map((c) => ({ ...c }));
  }
  async get(id: number) {
    this.calls.push('get');
    await this.delay();
    const c = this.comments.find((x) => x.id === id);
    return c ? { ...c } : undefined;
  }
  async create(body: string) {
    this.calls.push('create');
    await this.delay();
    const c = {
      id: this.id++,
      body,
      url: `https://github.test/c/${this.id}`,
      login: 'github-actions[bot]',
      userType: 'Bot',
      createdAt: new Date(1_700_000_000_000 + this.id * 1000).toISOString(),
    };
    this.comments.push(c);
    return { ...c };
  }
  async update(id: number, body: string) {
    this.calls.push('update');
    await this.delay();
    const c = this.comments.find((x) => x.id === id);
    if (!c) return undefined;
    c.body = body;
    return { ...c };
  }
  async remove(id: number) {
    this.calls.push('remove');
    await this.delay();
    const at = this.comments.findIndex((x) => x.id === id);
    if (at < 0) return false;
    this.comments.splice(at, 1);
    return true;
  }
}

/** Time runs 10 times faster: the clock and the sleeps agree, so latency and settle keep their ratio. */
function deps(store: MemoryStore, overrides: Partial<DashboardDeps> = {}): DashboardDeps {
  return {
    store,
    identity: async () => BOT,
    resolveSha: async () => SHA,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms / 10)),
    random: Math.random,
    now: () => Date.now() * 10,
    log: { info: () => undefined, notice: () => undefined, debug: () => undefined },
    ...overrides,
  };
}

let w = 0;
function request(mode: 'init' | 'update', stage?: string, extra: Partial<DashboardRequest> = {}): DashboardRequest {
  const update: StageUpdate | undefined = stage
    ? { key: stage, status: 'success', run: 1, attempt: 1, at: new Date().toISOString(), w: `w${w++}` }
    : undefined;
  return {
    mode,
    marker: 'infra-dashboard',
    title: 'Commit Dashboard',
    sha: SHA,
    stages: DEFAULT_STAGES,
    update,
    ref: { run: 1, attempt: 1, at: new Date().toISOString() },
    ...extra,
  };
}

describe('syncDashboard', () => {
  it('creates, then updates in place with one read, one write and one verify', async () => {
    const store = new MemoryStore();
    const created = await syncDashboard(request('init'), deps(store));
    expect(created).toMatchObject({ outcome: 'written', created: true });
    store.calls.length = 0;
    // Real time here: on a loaded machine the 10x clock would make the write look slow (and confirm it).
    const updated = await syncDashboard(request('update', 'ci', { commentId: created.comment!.id }), deps(store, { now: Date.now }));
    expect(updated).toMatchObject({ outcome: 'written', created: false });
    expect(store.calls).toEqual(['get', 'update', 'get']);
    expect(extractState(store.comments[0].body, 'infra-dashboard')?.stages[0].status).toBe('success');
  });

  it('takes the sha from the comment-id dashboard when none is given', async () => {
    const store = new MemoryStore();
    const created = await syncDashboard(request('init'), deps(store));
    const resolveSha = async () => {
      throw new Error('must not look the sha up');
    };
    const updated = await syncDashboard(
      request('update', 'apply', { sha: undefined, commentId: created.comment!.id }),
      deps(store, { resolveSha }),
    );
    expect(updated.sha).toBe(SHA);
  });

  it('loses no update when 20 writers race with random latency', async () => {
    const store = new MemoryStore(15);
    await syncDashboard(request('init'), deps(store));
    const keys = Array.from({ length: 20 }, (_, i) => `s${i}`);
    const results = await Promise.all(keys.map((k) => syncDashboard(request('update', k), deps(store))));
    expect(results.map((r) => r.outcome)).toEqual(keys.map(() => 'written'));
    expect(store.comments).toHaveLength(1);
    const state = extractState(store.comments[0].body, 'infra-dashboard')!;
    for (const k of keys) expect(state.stages.find((s) => s.key === k)?.status).toBe('success');
  });

  it('concurrent creators converge on the oldest comment and delete the duplicates', async () => {
    const store = new MemoryStore(10);
    const results = await Promise.all([
      syncDashboard(request('init'), deps(store)),
      syncDashboard(request('init'), deps(store)),
      syncDashboard(request('update', 'ci'), deps(store)),
      syncDashboard(request('update', 'deploy'), deps(store)),
    ]);
    expect(store.comments).toHaveLength(1);
    const id = store.comments[0].id;
    expect(results.map((r) => r.comment?.id)).toEqual([id, id, id, id]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const state = extractState(store.comments[0].body, 'infra-dashboard')!;
    expect(state.stages.find((s) => s.key === 'ci')?.status).toBe('success');
    expect(state.stages.find((s) => s.key === 'deploy')?.status).toBe('success');
  });

  it('ignores comments with the marker written by someone else', async () => {
    const store = new MemoryStore();
    const mine = await syncDashboard(request('init'), deps(store));
    store.comments.unshift({ ...store.comments[0], id: 999, login: 'mallory', userType: 'User', createdAt: '2000-01-01T00:00:00Z' });
    const result = await syncDashboard(request('update', 'ci'), deps(store));
    expect(result.comment?.id).toBe(mine.comment?.id);
    expect(extractState(store.comments[0].body, 'infra-dashboard')?.stages[0].status).toBe('pending');
  });

  it('with an installation token also finds a dashboard written by a GitHub App bot', async () => {
    const store = new MemoryStore();
    await syncDashboard(request('init'), deps(store));
    store.comments[0].login = 'deploy-app[bot]';
    const result = await syncDashboard(request('update', 'ci'), deps(store));
    expect(store.comments).toHaveLength(1);
    expect(result.comment?.id).toBe(store.comments[0].id);
  });

  it('reports a refused write as forbidden with the dashboard it would have written', async () => {
    const store = new MemoryStore();
    store.create = async () => {
      throw Object.assign(new Error('Resource not accessible by integration'), { status: 403 });
    };
    const result = await syncDashboard(request('update', 'ci'), deps(store));
    expect(result.outcome).toBe('forbidden');
    expect(result.body).toContain('| CI Validate | ✅ |');
  });
});
