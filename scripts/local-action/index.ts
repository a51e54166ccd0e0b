// pnpm local-action <action> [ENV_FILE]: runs an action's source with GitHub's @github/local-action
// (its @actions/* stubs, the inputs and GITHUB_* variables from ENV_FILE, default actions/<action>/.env.example).
// Why a wrapper: local-action finds the @actions/* packages to stub with `pnpm list`, whose first entry in a pnpm
// workspace is the root project, so the root declares them as dependencies; and local-action's own launcher runs
// `pnpm dlx tsx`, which pnpm 12 refuses for an unapproved esbuild build. Here tsx comes from the workspace.
// Its @actions/github stub reads GITHUB_API_URL when it is imported, before the dotenv file is loaded, so the
// file's API and server URLs are also put in the process environment.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const [name, envArg] = process.argv.slice(2);
const usage = 'usage: pnpm local-action <action-name> [ENV_FILE]   (default ENV_FILE: actions/<action-name>/.env.example)';
if (!name) {
  console.error(usage);
  process.exit(2);
}
const actionDir = join(root, 'actions', name);
if (!existsSync(join(actionDir, 'action.yml'))) {
  console.error(`No action "${name}" under actions/.\n${usage}`);
  process.exit(2);
}
const envFile = resolve(envArg ?? join(actionDir, '.env.example'));
if (!existsSync(envFile)) {
  console.error(`No environment file ${envFile}.\n${usage}`);
  process.exit(2);
}
const localAction = join(root, 'node_modules', '@github', 'local-action', 'src', 'index.ts');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const early: Record<string, string> = {};
for (const line of readFileSync(envFile, 'utf8').split('\n')) {
  const m = /^(GITHUB_API_URL|GITHUB_SERVER_URL|GITHUB_GRAPHQL_URL)=(.+)$/.exec(line.trim());
  if (m) early[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
}
const result = spawnSync(tsx, [localAction, 'run', '.', 'src/main.ts', envFile], {
  cwd: actionDir,
  stdio: 'inherit',
  env: { ...process.env, ...early, NODE_PACKAGE_MANAGER: 'pnpm' },
});
process.exit(result.status ?? 1);
