#!/usr/bin/env node
// Bundles every action (or the ones named) with ncc into its dist/: main at dist/index.js,
// post at dist/post/index.js, each with a source map and licenses.txt. Deterministic output.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
const wanted = process.argv.slice(2);
const actions = readdirSync(join(root, 'actions'))
  .filter((name) => existsSync(join(root, 'actions', name, 'action.yml')))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

function bundle(actionDir, source, outDir) {
  return new Promise((resolve, reject) => {
    const args = [ncc, 'build', source, '-o', outDir, '--source-map', '--license', 'licenses.txt', '--quiet', '--target', 'es2022'];
    const child = spawn(process.execPath, args, { cwd: actionDir, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ncc failed for ${actionDir}/${source}`))));
  });
}

async function buildAction(name) {
  const dir = join(root, 'actions', name);
  const meta = parse(readFileSync(join(dir, 'action.yml'), 'utf8'));
  const started = Date.now();
  // Build beside dist/ and swap it in, so a test running the current bundle never sees a half-built one.
  const staging = join(dir, `.dist-build-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    await bundle(dir, 'src/index.ts', staging);
    if (meta.runs?.post) await bundle(dir, 'src/post.ts', join(staging, 'post'));
    rmSync(join(dir, 'dist'), { recursive: true, force: true });
    renameSync(staging, join(dir, 'dist'));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  console.log(`built ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// Two at a time: the CI machine has two cores.
const queue = [...actions];
const workers = Array.from({ length: Math.min(2, queue.length) }, async () => {
  while (queue.length > 0) await buildAction(queue.shift());
});
try {
  await Promise.all(workers);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
