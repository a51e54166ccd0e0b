import { main } from './cli.js';

// pnpm runs package scripts in the workspace root; INIT_CWD is where the user ran the command.
process.exitCode = main(process.argv.slice(2), undefined, process.env.INIT_CWD ?? process.cwd());
