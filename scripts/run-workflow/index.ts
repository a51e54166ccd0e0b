// pnpm run-workflow <workflow.yml> [options]: runs a GitHub Actions workflow locally (see README.md). Exit 0 on a
// successful run, 1 on failure or cancellation, 2 on a usage error.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs, USAGE } from './src/cli.js';
import { UsageError } from './src/types.js';

async function main(): Promise<number> {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`run-workflow: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // Loaded after the arguments are checked: a usage error answers without loading the engine.
  const { runWorkflow, toJsonResult } = await import('./src/index.js');
  try {
    const result = await runWorkflow({ ...options, log: options.quiet ? undefined : (line) => process.stdout.write(`${line}\n`) });
    if (options.json) {
      mkdirSync(dirname(options.json), { recursive: true });
      writeFileSync(options.json, `${JSON.stringify(toJsonResult(result), null, 2)}\n`);
    }
    return result.conclusion === 'success' ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`run-workflow: ${error.message.split('\n').join(' ')}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main();
