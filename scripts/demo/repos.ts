// The demo's repositories: copies of the scenario fixtures (the user's own commands: loader, deploy.sh, make targets)
// with the reference workflows as they are in workflows/, under .github/workflows where a real repository has them.
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';

export function makeRepo(root: string, workDir: string, fixture: string, workflows: string[]): string {
  const dir = mkdtempSync(join(workDir, `${fixture}-`));
  cpSync(join(root, 'scripts', 'run-workflow', 'scenarios', 'fixtures', fixture), dir, { recursive: true });
  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
  for (const name of workflows) cpSync(join(root, 'workflows', `${name}.yml`), join(dir, '.github', 'workflows', `${name}.yml`));
  return dir;
}

/** A batch id for a real UTC moment an hour ago: `batch_YYYYMMDD_HHMMSS` (validate-batch refuses future and stale ids). */
export function sampleBatchId(now = new Date()): string {
  const t = new Date(now.getTime() - 3600_000).toISOString();
  return `batch_${t.slice(0, 10).replace(/-/g, '')}_${t.slice(11, 19).replace(/:/g, '')}`;
}

export interface SampleTable {
  name: string;
  fragments: number;
  rowsPerFragment: number;
}

export const SAMPLE_TABLES: SampleTable[] = [
  { name: 'patients', fragments: 4, rowsPerFragment: 25 },
  { name: 'encounters', fragments: 6, rowsPerFragment: 40 },
  { name: 'lab_results', fragments: 5, rowsPerFragment: 60 },
];

/** The fragments of one batch as the stand-in loader reads them: `id,value` lines per CSV part. */
export function sampleFragments(batchId: string): { key: string; body: string }[] {
  const out: { key: string; body: string }[] = [];
  for (const table of SAMPLE_TABLES) {
    for (let part = 1; part <= table.fragments; part++) {
      const rows: string[] = [];
      for (let r = 0; r < table.rowsPerFragment; r++)
        rows.push(`${(part - 1) * table.rowsPerFragment + r + 1},${table.name} row ${r + 1} of part ${part}`);
      out.push({ key: `validated/${batchId}/${table.name}/part-${String(part).padStart(5, '0')}.csv`, body: `${rows.join('\n')}\n` });
    }
  }
  return out;
}
