import { explainS3Error } from '@pipeline-actions/kit/s3';

export type Operation = { api: string; permission: string; resource: string; conflicts?: number };

interface Where {
  bucket: string;
  /** The endpoint the request went to (custom or AWS's regional one). */
  endpoint: string;
  timeoutMs?: number;
}

/** One sentence that says which S3 call failed at which endpoint, why, and what to do about it; AWS's own message appended. */
export function describeS3Error(error: unknown, op: Operation & Where): string {
  const e = error as { name?: string; message?: string; code?: string } | null;
  const d = explainS3Error(error);
  const where = `${op.api} on ${op.resource} at ${op.endpoint}`;
  const aws = d.awsMessage ? ` AWS said: ${d.awsMessage}` : '';
  const after = d.attempts && d.attempts > 1 ? ` after ${d.attempts} attempts` : '';
  if (d.code === 'CredentialsProviderError' || /Could not load credentials/i.test(d.awsMessage)) {
    return `${where} failed: no AWS credentials were found. Configure them before this step (e.g. aws-actions/configure-aws-credentials with OIDC, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).`;
  }
  if (d.timedOut) {
    const limit = op.timeoutMs ? ` within ${op.timeoutMs / 1000} s (input 'timeout-seconds')` : '';
    return `${where} got no answer${limit}${after}: check s3-endpoint and the runner's network, or raise timeout-seconds for a slow store. (${e?.name ?? 'TimeoutError'}: ${d.awsMessage || 'timed out'})`;
  }
  if (op.conflicts) {
    return `${where} was refused with HTTP 409 (${d.code}) ${op.conflicts} times with backoff: another writer kept changing the same key; re-run the job.${aws}`;
  }
  if (d.nonXmlBody) {
    return `${where} failed with an answer that is not S3's (${d.nonXmlBody}): something between the runner and S3 (a proxy or gateway) answered; check s3-endpoint and the proxy.`;
  }
  if (d.cause) return `${where} failed: ${d.cause}.${aws}`;
  switch (d.kind) {
    case 'no-such-bucket':
      return `${where} failed: the bucket '${op.bucket}' does not exist (NoSuchBucket). Check the bucket input, s3-endpoint and aws-region.`;
    case 'access-denied':
      return `${where} was denied (${d.code}): the credentials need ${op.permission} on ${permissionResource(op)}.${aws}`;
    case 'throttled':
      return `${where} was throttled by S3 (${d.code})${after} with backoff: retry later or lower the concurrency input.${aws}`;
    case 'network':
      return `${where} could not reach S3 (${e?.code ?? d.code}: ${d.awsMessage}): check s3-endpoint, aws-region and the runner's network.`;
    default:
      return `${where} failed (${d.code}${d.status ? `, HTTP ${d.status}` : ''}).${aws}`;
  }
}

function permissionResource(op: Operation & { bucket: string }): string {
  if (op.permission === 's3:ListBucket') {
    const prefix = op.resource.slice(`s3://${op.bucket}/`.length);
    return `arn:aws:s3:::${op.bucket}${prefix ? ` (for prefix ${prefix})` : ''}`;
  }
  return `arn:aws:s3:::${op.resource.slice('s3://'.length)}`;
}
