#!/usr/bin/env node
// The CLI is TypeScript (as every package here is); tsx compiles it on the fly, so `npx pipeline-dispatch` needs no build.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
