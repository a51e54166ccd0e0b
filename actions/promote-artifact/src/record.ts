/** What the build tag's message holds (as JSON) and what sits beside the S3 object. */
export interface ReleaseRecord {
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
  sha256: string;
  size: number;
  /** s3://bucket/key; null when stored only on GitHub. */
  s3_uri: string | null;
  /** S3 endpoint the copy was written to, when not AWS's own. */
  s3_endpoint?: string | null;
  created_at: string;
  /** When GitHub deletes the artifact; null when there is no GitHub copy. */
  expires_at: string | null;
  store: 'github' | 's3' | 'both';
}

export function formatRecord(record: ReleaseRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** Reads the record out of a tag message; the JSON may follow a free-text first paragraph. */
export function parseRecord(message: string): ReleaseRecord | undefined {
  const start = message.indexOf('{');
  const end = message.lastIndexOf('}');
  if (start < 0 || end < start) return undefined;
  try {
    const parsed = JSON.parse(message.slice(start, end + 1)) as Partial<ReleaseRecord>;
    if (typeof parsed.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(parsed.sha256) || typeof parsed.artifact_name !== 'string')
      return undefined;
    return parsed as ReleaseRecord;
  } catch {
    return undefined;
  }
}

export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  return m ? { bucket: m[1], key: m[2] } : undefined;
}
