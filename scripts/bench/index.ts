// pnpm bench [name...]: runs scripts/bench/<name>.bench.ts (all when none named) and prints one markdown table.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatRows, type BenchRow, type Benchmark } from './measure.js';

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
for (const file of files) {
  console.error(`running ${file} ...`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: Benchmark };
  rows.push(...(await mod.default()));
}
console.log(formatRows(rows));
