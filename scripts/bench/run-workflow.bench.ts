// run-workflow's own overhead per step: a one-step workflow running determine-environment from its dist/ through
// `runWorkflow` (parse, expressions, job directory, runner files, transcript) against the harness's `runAction`
// running the same bundle with the same inputs. Interleaved rounds, medians; the difference is the executor's cost.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAction } from '../../packages/testing/src/harness.js';
import { defaultPayload, DEFAULT_REPOSITORY, DEFAULT_SHA } from '../run-workflow/src/events.js';
import { runWorkflow } from '../run-workflow/src/index.js';
import { median, type BenchRow } from './measure.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ROUNDS = 12;
// GitHub's runner spends longer than this setting up each step; the executor must stay well under a bundle's own start.
const GOAL_MS = 200;

const WORKFLOW = `name: One step
on: workflow_dispatch
jobs:
  decide:
    runs-on: ubuntu-latest
    steps:
      - id: env
        uses: your-org/pipeline-actions/actions/determine-environment@v1
        with:
          environment: qa
          allowed: qa, production
`;

export default async function runWorkflowOverhead(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-run-workflow-'));
  const workflow = join(dir, 'one-step.yml');
  writeFileSync(workflow, WORKFLOW);
  const action = join(root, 'actions', 'determine-environment');
  // The harness gets the same event payload the executor writes, so both runs do the same work in the action.
  const event = defaultPayload({
    event: 'workflow_dispatch',
    repository: DEFAULT_REPOSITORY,
    ref: 'refs/heads/main',
    sha: DEFAULT_SHA,
    actor: 'octocat',
    association: 'OWNER',
    inputs: {},
    workflowPath: '.github/workflows/one-step.yml',
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
  });
  const inputs = { environment: 'qa', allowed: 'qa, production' };
  const ours: number[] = [];
  const harness: number[] = [];
  const ownCpu: number[] = [];
  try {
    // One warm-up of each: the parser's schema and the first spawn of Node 24 are not per step.
    await runWorkflow({ workflow, repo: dir });
    await runAction(action, { inputs, event });
    for (let round = 0; round < ROUNDS; round++) {
      let started = performance.now();
      const cpu = process.cpuUsage();
      const run = await runWorkflow({ workflow, repo: dir });
      ours.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      ownCpu.push((used.user + used.system) / 1000);
      if (run.conclusion !== 'success') throw new Error(`the one-step workflow failed:\n${run.transcript.join('\n')}`);
      started = performance.now();
      const result = await runAction(action, { inputs, event });
      harness.push(performance.now() - started);
      if (result.exitCode !== 0) throw new Error(`the harness run failed: ${result.stdout}`);
      rmSync(result.runnerDir, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const oursMs = median(ours);
  const harnessMs = median(harness);
  // Paired differences (each round's two runs ran back to back) resist the machine's noise better than medians' difference.
  const overhead = median(ours.map((ms, i) => ms - harness[i]));
  return [
    {
      benchmark: 'run-workflow: one-step workflow (determine-environment from dist)',
      ours: 'runWorkflow',
      oursMedianMs: oursMs,
      baseline: 'harness runAction',
      baselineMedianMs: harnessMs,
      ratio: harnessMs / oursMs,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      goal: `executor overhead per step <= ${GOAL_MS} ms`,
      met: overhead <= GOAL_MS,
      note: `overhead ${overhead.toFixed(0)} ms per step (median of paired differences), executor's own CPU ${median(ownCpu).toFixed(0)} ms per run, ${ROUNDS} interleaved rounds`,
    },
  ];
}
