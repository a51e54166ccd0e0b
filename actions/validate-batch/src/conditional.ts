import { UserError } from '@pipeline-actions/kit';
import type { BatchStore, StoredObject } from './store.js';

/** The one sentence every mode fails closed with on a store that does not honour conditional writes. */
export function conditionalWritesRequired(store: BatchStore, key: string, what: string): UserError {
  return new UserError(
    `The S3 store at ${store.name} does not honour conditional writes (${what} on ${store.uri(key)}): validate-batch requires a store that refuses PutObject with If-None-Match: * on an existing key with HTTP 412, as AWS S3 does, so nothing is reported as claimed or marked.`,
  );
}

/**
 * A conditional create that is checked, not trusted: the object is read back and must carry `id`, and a
 * second create of the same key (with the same body, so a store that ignores the condition changes nothing)
 * must be refused. Returns the ETag of the created object, or 'exists'.
 */
export async function createVerified(store: BatchStore, key: string, body: string, id: string): Promise<StoredObject | 'exists'> {
  if ((await store.createIfAbsent(key, body)) === 'exists') return 'exists';
  return verifyOwnWrite(store, key, body, id, 'the create was answered with success');
}

/** A conditional replace (If-Match), checked the same way. */
export async function replaceVerified(
  store: BatchStore,
  key: string,
  body: string,
  id: string,
  etag: string,
): Promise<StoredObject | 'changed'> {
  if ((await store.replaceIf(key, body, etag)) === 'changed') return 'changed';
  return verifyOwnWrite(store, key, body, id, 'the replace was answered with success');
}

async function verifyOwnWrite(store: BatchStore, key: string, body: string, id: string, answered: string): Promise<StoredObject> {
  const back = await store.read(key);
  if (back === undefined || !back.body.includes(`"${id}"`)) {
    throw conditionalWritesRequired(store, key, `${answered} but the object read back is another writer's`);
  }
  if ((await store.createIfAbsent(key, body)) === 'created') {
    throw conditionalWritesRequired(store, key, 'a PutObject with If-None-Match: * on the existing key was accepted, not refused with 412');
  }
  return back;
}
