// pnpm demo [--verbose] [--no-color]: the reference workflows executed locally with run-workflow. Exit 1 unless green.
import { runDemo } from './run-demo.js';

const args = process.argv.slice(2);
const unknown = args.filter((a) => !['--verbose', '--no-color', '--help', '-h'].includes(a));
if (args.includes('--help') || args.includes('-h') || unknown.length > 0) {
  if (unknown.length > 0) console.error(`Unknown option(s): ${unknown.join(' ')}`);
  console.error('Usage: pnpm demo [--verbose] [--no-color]');
  console.error("  --verbose    print every step's own output lines too");
  process.exit(unknown.length > 0 ? 2 : 0);
}

const result = await runDemo({
  verbose: args.includes('--verbose'),
  color: !args.includes('--no-color') && process.stdout.isTTY === true && !process.env.NO_COLOR,
  write: (line) => process.stdout.write(`${line}\n`),
});
process.exitCode = result.ok ? 0 : 1;
