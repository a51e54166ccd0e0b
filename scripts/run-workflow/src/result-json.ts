// The --json file: exactly the documented shape (the transcript and per-step summaries stay in memory).
import type { RunResult } from './types.js';

export function toJsonResult(result: RunResult): Record<string, unknown> {
  const steps = (list: RunResult['jobs'][string]['steps']) =>
    list.map((s) => ({ id: s.id, name: s.name, uses: s.uses ?? null, outcome: s.outcome, conclusion: s.conclusion, outputs: s.outputs }));
  const jobs = Object.fromEntries(
    Object.entries(result.jobs).map(([id, j]) => [
      id,
      {
        result: j.result,
        outputs: j.outputs,
        steps: steps(j.steps),
        ...(j.legs ? { legs: j.legs.map((l) => ({ matrix: l.matrix, result: l.result, outputs: l.outputs, steps: steps(l.steps) })) } : {}),
      },
    ]),
  );
  return { conclusion: result.conclusion, jobs, ...(result.services ? { services: result.services } : {}) };
}
