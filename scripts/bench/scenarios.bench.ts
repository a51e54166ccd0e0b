// The wall time of the whole scenario suite (every reference workflow executed with run-workflow against the local
// services), beside the budget it must fit: CI runs it inside .ci/run, which must stay under 20 minutes.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureCommand, type BenchRow } from './measure.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUDGET_MS = 20 * 60_000;

export default async function scenarios(): Promise<BenchRow[]> {
  const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
  const run = await measureCommand(process.execPath, ['--experimental-vm-modules', jest, 'scripts/run-workflow/scenarios'], { cwd: root });
  if (run.exitCode !== 0) throw new Error(`the scenario suite failed (exit ${run.exitCode}): ${run.stderr.slice(-2000)}`);
  const files = /Test Suites:\s+(\d+) passed/.exec(run.stderr)?.[1] ?? '?';
  const tests = /Tests:\s+(\d+) passed/.exec(run.stderr)?.[1] ?? '?';
  return [
    {
      benchmark: 'run-workflow: the whole scenario suite',
      ours: `jest scripts/run-workflow/scenarios (${files} files, ${tests} scenarios)`,
      oursMedianMs: run.wallMs,
      baseline: 'the whole .ci/run budget',
      baselineMedianMs: BUDGET_MS,
      ratio: BUDGET_MS / run.wallMs,
      peakRssMb: run.peakRssMb,
      goal: 'a fraction of the 20-minute CI budget',
      met: run.wallMs < BUDGET_MS / 2,
      note: 'one run, 2 jest workers as in CI; ratio = budget / ours',
    },
  ];
}
