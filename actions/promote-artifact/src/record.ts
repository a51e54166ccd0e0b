import type { Compression, Store } from './inputs.js';

/** Marks a record written by this action (version 2: service-scoped, with sizes and the promotion). */
export const RECORD_SCHEMA = 'promote-artifact/2';

/** What the build tag's message holds (as JSON) and what sits beside the S3 object. */
export interface ReleaseRecord {
  schema?: string;
  version: string;
  service: string;
  repository: string;
  commit: string;
  run_id: string;
  run_attempt: number;
  workflow: string;
  artifact_name: string;
  /** GitHub artifact id; null when the artifact was stored only in S3. */
  artifact_id: number | null;
  /** 'zip': the artifact service's zip container around the archive (what download-artifact reads); 'raw': the archive itself (before v2). */
  artifact_form?: 'zip' | 'raw';
  /** sha256 of the artifact as GitHub stores it (the zip container), `sha256:<hex>`. */
  artifact_digest?: string | null;
  /** sha256 of the archive bytes (the compressed tarball). */
  sha256: string;
  size: number;
  compression?: Compression;
  /** Bytes of file content inside the archive, and entries (files, directories, links): the extraction limits start here. */
  unpacked_bytes?: number;
  entries?: number;
  /** s3://bucket/key; null when stored only on GitHub. */
  s3_uri: string | null;
  /** S3 endpoint the copy was written to, when not AWS's own. */
  s3_endpoint?: string | null;
  created_at: string;
  /** When GitHub deletes the artifact; null when there is no GitHub copy. */
  expires_at: string | null;
  store: Store;
  /** Present on stage tags: who promoted the version where. */
  promotion?: Promotion;
}

export interface Promotion {
  stage: string;
  environment: string;
  promoted_by: string;
  run_id: string;
  run_url: string;
  workflow: string;
  promoted_at: string;
  rollback: boolean;
  notes: string;
}

export function formatRecord(record: ReleaseRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** Reads the record out of a tag message; the JSON may follow a free-text first paragraph (records before v2). */
export function parseRecord(message: string): ReleaseRecord | undefined {
  const start = message.indexOf('{');
  const end = message.lastIndexOf('}');
  if (start < 0 || end < start) return undefined;
  try {
    const parsed = JSON.parse(message.slice(start, end + 1)) as Partial<ReleaseRecord>;
    if (typeof parsed.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(parsed.sha256) || typeof parsed.artifact_name !== 'string')
      return undefined;
    if (typeof parsed.size !== 'number' || typeof parsed.version !== 'string') return undefined;
    return parsed as ReleaseRecord;
  } catch {
    return undefined;
  }
}

/**
 * The stage tag message written before v2: `{tag}: {service} {version} promoted to {stage}` then
 * `Sha256: <hex>` lines. Read only so history made by the earlier action still passes its gate.
 */
export function parseLegacyPromotion(message: string): { service: string; version: string; stage: string; sha256: string } | undefined {
  const head = /^[^\s:]+: (\S+) (\S+) promoted to (\S+)$/m.exec(message.split('\n')[0] ?? '');
  const sha = /^Sha256: ([0-9a-f]{64})$/m.exec(message);
  if (!head || !sha) return undefined;
  return { service: head[1], version: head[2], stage: head[3], sha256: sha[1] };
}

export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  return m ? { bucket: m[1], key: m[2] } : undefined;
}
