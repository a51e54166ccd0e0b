import type { RunContext } from '@pipeline-actions/kit';
import type { Octokit } from '@pipeline-actions/kit/github';
import type { Inputs } from './inputs.js';
import type { Naming } from './naming.js';
import type { ReleaseRecord } from './record.js';
import type { Repo } from './tags.js';

export interface Log {
  info(message: string): void;
  warning(message: string): void;
}

export interface Deps {
  inputs: Inputs;
  ctx: RunContext;
  repo: Repo;
  octokit: Octokit;
  /** The tag format in use, resolved once per run. */
  naming: Naming;
  log: Log;
  now: () => Date;
  /** Directory for temporary files (RUNNER_TEMP). */
  tempDir: string;
}

/** Every output of the action; modes fill what they know. */
export interface Outcome {
  mode: Inputs['mode'];
  version: string;
  tag: string;
  artifactName: string;
  artifactId: string;
  sha256: string;
  size: string;
  s3Uri: string;
  path: string;
  commitSha: string;
  previousVersion: string;
  /** What the stage held before this promotion (its newest deployment, else its newest tag). */
  currentVersion: string;
  deploymentId: string;
  deploymentUrl: string;
  releaseUrl: string;
  /** One line a step took, for the job summary. */
  actions: string[];
  /** Where the bytes came from (fetch). */
  source?: string;
  stage: string;
}

export function outcomeFromRecord(
  mode: Inputs['mode'],
  stage: string,
  record: ReleaseRecord | undefined,
  version: string,
  tag: string,
  commit: string,
): Outcome {
  return {
    mode,
    stage,
    version,
    tag,
    artifactName: record?.artifact_name ?? '',
    artifactId: record?.artifact_id ? String(record.artifact_id) : '',
    sha256: record?.sha256 ?? '',
    size: record ? String(record.size) : '',
    s3Uri: record?.s3_uri ?? '',
    path: '',
    commitSha: commit,
    previousVersion: '',
    currentVersion: '',
    deploymentId: '',
    deploymentUrl: '',
    releaseUrl: '',
    actions: [],
  };
}
