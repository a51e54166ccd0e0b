import type { Compression, TagFormat } from './inputs.js';

/** How tags are named in this repository for this service. */
export interface Naming {
  format: TagFormat;
  service: string;
  /** Why this format: given as an input, or what detection found (said in the summary). */
  reason: string;
}

/** `{stage}-{service}-{version}` or, for one-service repositories and history, `{stage}-{version}`. */
export function tagName(naming: Naming, stage: string, version: string): string {
  return naming.format === 'service' ? `${stage}-${naming.service}-${version}` : `${stage}-${version}`;
}

/** The prefix every tag of a stage carries, for listing. */
export function tagPrefix(naming: Naming, stage: string): string {
  return naming.format === 'service' ? `${stage}-${naming.service}-` : `${stage}-`;
}

export const ARCHIVE_EXTENSIONS: Record<Compression, string> = { gzip: '.tar.gz', zstd: '.tar.zst', none: '.tar' };

export function artifactName(service: string, version: string, compression: Compression = 'gzip'): string {
  return `service-${service}-${version}${ARCHIVE_EXTENSIONS[compression]}`;
}

/** The GitHub deployment task that scopes deployments to one service within an environment. */
export function deploymentTask(service: string): string {
  return `deploy:${service}`;
}
