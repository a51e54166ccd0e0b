// actions/upload-artifact and actions/download-artifact: files kept in the run's artifact store (a directory per
// artifact under the run's work directory; registered on the local GitHub's artifact service with --local).
import { cpSync, mkdirSync } from 'node:fs';
import { matchFiles } from '../glob.js';
import { join, relative, resolve } from 'node:path';
import { zipDirectory } from './zip.js';
import { StepFailure, type ActionDouble } from './types.js';

export const uploadArtifact: ActionDouble = {
  action: 'actions/upload-artifact',
  description:
    "Copies the matched files (`path` lines, globs, `!` excludes) into the run's artifact store; `if-no-files-found` (warn, error, ignore) and v4's one-upload-per-name rule honoured; with `--local` the zip is also registered on the local GitHub's artifact service. Outputs `artifact-id`, `artifact-url`, `artifact-digest`.",
  async run(step) {
    const name = step.with.name || 'artifact';
    const run = step.job.run;
    if (!step.with.path) throw new StepFailure('Input required and not supplied: path');
    if (run.artifacts.has(name))
      throw new StepFailure(`Failed to CreateArtifact: an artifact with this name already exists on the workflow run: ${name}`);
    const files = matchFiles(step.job.workspace, step.with.path.split(/\r?\n/));
    if (files.length === 0) {
      const mode = step.with['if-no-files-found'] || 'warn';
      const message = `No files were found with the provided path: ${step.with.path.trim()}. No artifacts will be uploaded.`;
      if (mode === 'error') throw new StepFailure(message);
      if (mode === 'warn') step.warning(message);
      else step.info(message);
      return;
    }
    const dir = join(run.workdir, 'artifacts', name);
    mkdirSync(dir, { recursive: true });
    for (const { file, name: inside } of files) cpSync(file, join(dir, inside));
    run.artifacts.set(name, dir);
    const zip = zipDirectory(dir);
    let id = run.artifacts.size;
    const github = run.services?.github;
    if (github)
      id = github.artifacts.addArtifact({ name, content: zip.content, runId: run.runId, repository: String(run.github.repository) }).id;
    step.setOutput('artifact-id', String(id));
    step.setOutput('artifact-url', `${run.github.server_url}/${run.github.repository}/actions/runs/${run.runId}/artifacts/${id}`);
    step.setOutput('artifact-digest', zip.sha256);
    step.info(`Uploaded artifact '${name}': ${files.length} file(s), ${zip.content.length} bytes (id ${id})`);
  },
};

export const downloadArtifact: ActionDouble = {
  action: 'actions/download-artifact',
  description:
    "Copies an artifact of this run from the run's artifact store into `path` (default: the workspace); every artifact when `name` is empty, each in its own directory.",
  async run(step) {
    const run = step.job.run;
    const dest = resolve(step.job.workspace, step.with.path || '.');
    const names = step.with.name ? [step.with.name] : [...run.artifacts.keys()];
    for (const name of names) {
      const dir = run.artifacts.get(name);
      if (!dir) throw new StepFailure(`Unable to download artifact(s): Artifact not found for name: ${name}`);
      const target = step.with.name ? dest : join(dest, name);
      mkdirSync(target, { recursive: true });
      cpSync(dir, target, { recursive: true });
      step.info(`Downloaded artifact '${name}' to ${relative(step.job.workspace, target) || '.'}`);
    }
    step.setOutput('download-path', dest);
  },
};
