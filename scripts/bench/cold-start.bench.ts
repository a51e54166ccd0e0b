// Cold start of every bundled action: median wall time of `node dist/index.js` with no inputs
// (the run reads its inputs and stops) against `node -e 0`, the floor, under Node 24.
// A report, not a goal: every bundle loads the real @actions/core (about 80 ms of undici at import), which is
// invisible next to a runner's own per-step overhead; a hand-copied toolkit to save it would drift.
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { node24Path } from '../../packages/testing/src/node-runtime.js';
import { measureCommand, median, type BenchRow } from './measure.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ROUNDS = 15;

function bundleBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, entry) => {
    const path = join(dir, entry);
    const stat = statSync(path);
    return sum + (stat.isDirectory() ? bundleBytes(path) : entry.endsWith('.js') || entry.endsWith('.cjs') ? stat.size : 0);
  }, 0);
}

export default async function coldStart(): Promise<BenchRow[]> {
  const node = node24Path();
  const runner = mkdtempSync(join(tmpdir(), 'bench-cold-'));
  for (const f of ['output', 'state', 'summary']) writeFileSync(join(runner, f), '');
  writeFileSync(join(runner, 'event.json'), '{}');
  const env = {
    PATH: process.env.PATH,
    GITHUB_OUTPUT: join(runner, 'output'),
    GITHUB_STATE: join(runner, 'state'),
    GITHUB_STEP_SUMMARY: join(runner, 'summary'),
    GITHUB_EVENT_PATH: join(runner, 'event.json'),
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    RUNNER_TEMP: runner,
  };
  const actions = readdirSync(join(root, 'actions'))
    .filter((a) => existsSync(join(root, 'actions', a, 'dist', 'index.js')))
    .sort();
  const floor: number[] = [];
  const times = new Map<string, number[]>(actions.map((a) => [a, []]));
  const peaks = new Map<string, number>();
  // Interleave the floor and the actions so machine noise hits them alike.
  for (let round = 0; round < ROUNDS; round++) {
    floor.push((await measureCommand(node, ['-e', '0'], { env })).wallMs);
    for (const action of actions) {
      const run = await measureCommand(node, [join(root, 'actions', action, 'dist', 'index.js')], { env });
      times.get(action)!.push(run.wallMs);
      peaks.set(action, Math.max(peaks.get(action) ?? 0, run.peakRssMb));
    }
  }
  const floorMs = median(floor);
  return actions.map((action) => {
    const ours = median(times.get(action)!);
    const kb = bundleBytes(join(root, 'actions', action, 'dist')) / 1024;
    return {
      benchmark: `cold start: ${action}`,
      ours: 'dist/index.js',
      oursMedianMs: ours,
      baseline: 'node -e 0',
      baselineMedianMs: floorMs,
      ratio: ours / floorMs,
      peakRssMb: peaks.get(action) ?? NaN,
      goal: 'report only',
      met: true,
      note: `bundle ${kb.toFixed(0)} kB, ratio = ours / floor`,
    };
  });
}
