// Finds a Python that can run moto's S3 server. `npx pnpm` puts node's own directory (often /usr/bin) first in
// PATH, which can hide the Python that has moto (pyenv, a virtualenv): so every python3 on PATH is tried.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface PythonSearch {
  /** The interpreter that imports moto.server and flask, when one does. */
  python?: string;
  /** Every interpreter tried, in order. */
  tried: string[];
}

export function findPythonWithMoto(env: NodeJS.ProcessEnv = process.env): PythonSearch {
  const candidates = env.PYTHON ? [env.PYTHON] : ['python3'];
  for (const dir of (env.PATH ?? '').split(delimiter).slice(0, 100)) {
    for (const name of ['python3', 'python']) {
      const path = join(dir, name);
      if (dir && existsSync(path) && !candidates.includes(path)) candidates.push(path);
    }
  }
  const tried: string[] = [];
  for (const python of candidates) {
    tried.push(python);
    const probe = spawnSync(python, ['-c', 'import moto.server, flask'], { stdio: 'ignore', timeout: 60_000 });
    if (probe.status === 0) return { python, tried };
    // An explicit PYTHON is the user's choice: do not look past it.
    if (env.PYTHON) break;
  }
  return { tried };
}
