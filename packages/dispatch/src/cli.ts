#!/usr/bin/env node
import { runCli } from './cli-run.js';

// The shared Octokit reports rate-limit waits as workflow commands on stdout; here stdout is the answer, so they go to stderr.
const write = process.stdout.write.bind(process.stdout);
const err = (text: string) => void process.stderr.write(`${text}\n`);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
  String(chunk).startsWith('::') ? process.stderr.write(chunk, ...rest) : write(chunk, ...rest)) as typeof process.stdout.write;

process.exitCode = await runCli(process.argv.slice(2), process.env, { out: (text) => void write(`${text}\n`), err });
