#!/usr/bin/env node
// Rebuilds every action and fails when actions/*/dist differs from what is committed
// (changed, deleted or untracked files): the committed bundle must be what the source builds.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', 'actions/*/dist'], {
  cwd: root,
  encoding: 'utf8',
});
if (status.trim() !== '') {
  console.error('::error::dist/ is not current. Run `pnpm build` and commit actions/*/dist. Differences:');
  console.error(status);
  console.error(execFileSync('git', ['diff', '--stat', '--', 'actions/*/dist'], { cwd: root, encoding: 'utf8' }));
  process.exit(1);
}
console.log('dist/ is current for every action.');
