import * as core from '@actions/core';
import { markdownTable, readRunContext, runStep, writeSummary } from '@pipeline-actions/kit';
import { createOctokit } from '@pipeline-actions/kit/github';
import { tmpdir } from 'node:os';
import type { Deps, Outcome } from './deps.js';
import { fetchArtifact } from './fetch.js';
import { getInputs } from './inputs.js';
import { latest } from './latest.js';
import { mark } from './mark.js';
import { publish } from './publish.js';
import { rollback } from './rollback.js';
import { resolveNaming } from './tag-format.js';

/** The entry point, as GitHub's action template and `@github/local-action` expect it. */
export async function run(): Promise<void> {
  await runStep(main);
}

export async function main(): Promise<void> {
  const inputs = getInputs();
  const ctx = readRunContext();
  const repo = { owner: ctx.owner, repo: ctx.repo };
  const octokit = createOctokit(inputs.token);
  const naming = await resolveNaming(octokit, repo, inputs);
  const deps: Deps = {
    inputs,
    ctx,
    repo,
    octokit,
    naming,
    log: { info: core.info, warning: core.warning },
    now: () => new Date(),
    tempDir: ctx.runnerTemp || tmpdir(),
  };
  const modes = { publish, fetch: fetchArtifact, mark, latest, rollback };
  const outcome = await modes[inputs.mode](deps);
  outcome.actions.push(naming.reason);
  setOutputs(outcome);
  await writeSummary(renderSummary(inputs.service, outcome));
}

function setOutputs(o: Outcome): void {
  core.setOutput('version', o.version);
  core.setOutput('tag', o.tag);
  core.setOutput('artifact-name', o.artifactName);
  core.setOutput('artifact-id', o.artifactId);
  core.setOutput('sha256', o.sha256);
  core.setOutput('size', o.size);
  core.setOutput('s3-uri', o.s3Uri);
  core.setOutput('path', o.path);
  core.setOutput('commit-sha', o.commitSha);
  core.setOutput('previous-version', o.previousVersion);
  core.setOutput('current-version', o.currentVersion);
  core.setOutput('deployment-id', o.deploymentId);
  core.setOutput('deployment-url', o.deploymentUrl);
  core.setOutput('release-url', o.releaseUrl);
}

export function renderSummary(service: string, o: Outcome): string {
  const title = {
    publish: `Published ${service} ${o.version}`,
    fetch: `Fetched ${service} ${o.version} for ${o.stage}`,
    mark: `Promoted ${service} ${o.version} to ${o.stage}`,
    latest: `Newest ${service} version at ${o.stage}: ${o.version}`,
    rollback: `Rolled ${service} at ${o.stage} back to ${o.version}`,
  }[o.mode];
  const rows: [string, string][] = [
    ['Version', o.version],
    ['Tag', o.tag],
    ['Commit', o.commitSha],
    ['Artifact', o.artifactName],
    ['SHA-256', o.sha256],
    ['Size (bytes)', o.size],
    ['GitHub artifact id', o.artifactId],
    ['S3 copy', o.s3Uri],
    ['Source', o.source ?? ''],
    ['Current version (before)', o.currentVersion],
    ['Previous version', o.previousVersion],
    ['Deployment', o.deploymentId ? `${o.deploymentId} (${o.deploymentUrl})` : ''],
    ['Release', o.releaseUrl],
  ];
  const table = markdownTable(
    ['', ''],
    rows.filter(([, v]) => v !== ''),
  );
  const steps = o.actions.length ? `\n\n${o.actions.map((a) => `- ${a}`).join('\n')}` : '';
  return `### ${title}\n\n${table}${steps}\n`;
}
