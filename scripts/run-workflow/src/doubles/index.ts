// The registry of third-party action doubles. To add one: write doubles/<name>.ts exporting an ActionDouble and
// list it here and in the README's table (tests/readme.test.ts checks that every double is listed).
import { downloadArtifact, uploadArtifact } from './artifacts.js';
import { checkout } from './checkout.js';
import { configureAwsCredentials } from './configure-aws-credentials.js';
import { buildPushAction, loginAction, metadataAction, setupBuildx } from './docker.js';
import { pnpmSetup, setupNode, setupPython } from './setup-tools.js';
import type { ActionDouble } from './types.js';

export const DOUBLES: ActionDouble[] = [
  checkout,
  setupPython,
  setupNode,
  pnpmSetup,
  configureAwsCredentials,
  uploadArtifact,
  downloadArtifact,
  metadataAction,
  buildPushAction,
  loginAction,
  setupBuildx,
];

/** The double for `owner/repo[/path]@ref`, by the part before `@` (case-insensitive, as GitHub resolves owners). */
export function findDouble(uses: string): ActionDouble | undefined {
  const name = uses.split('@')[0].toLowerCase();
  return DOUBLES.find((d) => d.action.toLowerCase() === name);
}
