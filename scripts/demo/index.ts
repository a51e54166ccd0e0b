// pnpm demo [--with-ssh] [--verbose] [--no-color]: the fragment-ingestion and build -> QA -> prod chains, locally. Exit 1 unless green.
import { runDemo } from './run-demo.js';

const args = process.argv.slice(2);
const unknown = args.filter((a) => !['--with-ssh', '--verbose', '--no-color', '--help', '-h'].includes(a));
if (args.includes('--help') || args.includes('-h') || unknown.length > 0) {
  if (unknown.length > 0) console.error(`Unknown option(s): ${unknown.join(' ')}`);
  console.error('Usage: pnpm demo [--with-ssh] [--verbose] [--no-color]');
  console.error('  --with-ssh   open a real SSH tunnel through a throwaway sshd (needs openssh-server); skipped otherwise');
  console.error("  --verbose    print every step's full log");
  process.exit(unknown.length > 0 ? 2 : 0);
}

const result = await runDemo({
  withSsh: args.includes('--with-ssh'),
  verbose: args.includes('--verbose'),
  color: !args.includes('--no-color') && process.stdout.isTTY === true && !process.env.NO_COLOR,
  write: (line) => process.stdout.write(`${line}\n`),
});
process.exitCode = result.ok ? 0 : 1;
