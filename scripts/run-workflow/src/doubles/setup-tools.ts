// actions/setup-python, actions/setup-node, pnpm/action-setup: the machine's own tools, put on PATH as the real
// actions do; the requested version is reported next to the one used.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { StepFailure, type ActionDouble, type DoubleStep } from './types.js';

function which(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function version(bin: string, args: string[]): string {
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().replace(/^(Python |v)/, '');
}

/** A bin directory of this job holding `alias` -> `target`, put in front of PATH. */
function linkTool(step: DoubleStep, alias: string, target: string): void {
  const dir = join(step.job.run.workdir, 'tool-cache', step.job.jobId, 'bin');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, alias))) symlinkSync(target, join(dir, alias));
  step.addPath(dir);
}

export const setupPython: ActionDouble = {
  action: 'actions/setup-python',
  description:
    "The machine's `python3` (also as `python`) on PATH; `python-version` is reported next to the version used; `cache` ignored.",
  async run(step) {
    const python = which('python3', step.env.PATH ?? '');
    if (!python) throw new StepFailure('actions/setup-python: no python3 on this machine.');
    const used = version(python, ['--version']);
    linkTool(step, 'python', python);
    const wanted = step.with['python-version'];
    if (wanted && !used.startsWith(wanted)) step.warning(`setup-python double: ${wanted} requested, the machine's Python ${used} is used.`);
    step.setOutput('python-version', used);
    step.setOutput('python-path', python);
    step.info(`Python ${used} (${python})`);
  },
};

export const setupNode: ActionDouble = {
  action: 'actions/setup-node',
  description: "The machine's `node` on PATH; `node-version` is reported next to the version used; `cache` ignored.",
  async run(step) {
    const node = which('node', step.env.PATH ?? '');
    if (!node) throw new StepFailure('actions/setup-node: no node on this machine.');
    const used = version(node, ['--version']);
    const wanted = step.with['node-version'];
    if (wanted && !used.startsWith(wanted.replace(/^v/, '').replace(/\.x$/, '')))
      step.warning(`setup-node double: ${wanted} requested, the machine's Node ${used} is used.`);
    step.setOutput('node-version', `v${used}`);
    step.info(`Node ${used} (${node})`);
  },
};

export const pnpmSetup: ActionDouble = {
  action: 'pnpm/action-setup',
  description: "The machine's `pnpm` on PATH (`version` reported, nothing installed).",
  async run(step) {
    const pnpm = which('pnpm', step.env.PATH ?? '');
    if (!pnpm) throw new StepFailure('pnpm/action-setup: no pnpm on this machine (npm i -g pnpm).');
    step.setOutput('dest', pnpm);
    step.info(`pnpm ${version(pnpm, ['--version'])} (${pnpm})`);
  },
};
