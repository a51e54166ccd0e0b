// pnpm bench [name...]: runs scripts/bench/<name>.bench.ts (all when none named) and prints one markdown table.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatRows, MissingToolError, type BenchRow, type Benchmark } from './measure.js';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, '')))
  .sort();
if (files.length === 0) {
  console.error(
    `No benchmark matches ${wanted.join(', ')}. Available: ${readdirSync(here)
      .filter((f) => f.endsWith('.bench.ts'))
      .join(', ')}`,
  );
  process.exit(2);
}
const rows: BenchRow[] = [];
const skipped: string[] = [];
let failed = false;
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, '');
  console.error(`running ${file} ...`);
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: Benchmark };
    rows.push(...(await mod.default()));
  } catch (error) {
    // One missing baseline tool or one broken benchmark must not take the other rows with it.
    if (error instanceof MissingToolError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      const tool = error instanceof MissingToolError ? error.tool : String((error as NodeJS.ErrnoException).path ?? 'a tool');
      const install = error instanceof MissingToolError ? error.install : 'see the benchmark file';
      skipped.push(`- ${name}: skipped, its baseline needs ${tool}, which is not installed here (${install}).`);
    } else {
      failed = true;
      skipped.push(`- ${name}: FAILED: ${(error as Error).message}`);
    }
  }
}
console.log(formatRows(rows));
if (skipped.length > 0) console.log(`\n${skipped.join('\n')}`);
if (failed) process.exitCode = 1;
