/** One listed object: its key, size and ETag (as S3 gives it, quotes included). */
export interface ListedObject {
  key: string;
  size: number;
  etag: string;
}

/** One page of a listing: objects and (with a delimiter) the common prefixes below the listed prefix. */
export interface ListPage {
  objects: ListedObject[];
  prefixes: string[];
  /** Continuation token of the next page; undefined on the last page. */
  next?: string;
}

/** An object's text and the ETag a conditional replace or delete of it names. */
export interface StoredObject {
  body: string;
  etag: string;
}

/** What the action needs from an object store; S3 in the action, a plain fake in unit tests. */
export interface BatchStore {
  /** s3://bucket/key for messages. */
  uri(key: string): string;
  /** Names the store in messages: its endpoint. */
  readonly name: string;
  list(prefix: string, options?: { delimiter?: string; token?: string; maxKeys?: number }): Promise<ListPage>;
  /** The object, or undefined when it does not exist. */
  read(key: string): Promise<StoredObject | undefined>;
  /** Creates the object only when no object has that key (PutObject with If-None-Match: *). */
  createIfAbsent(key: string, body: string): Promise<'created' | 'exists'>;
  /** Replaces the object only while its ETag is `etag` (PutObject with If-Match). */
  replaceIf(key: string, body: string, etag: string): Promise<'replaced' | 'changed'>;
  /** Deletes the object only while its ETag is `etag` (DeleteObject with If-Match). */
  deleteIf(key: string, etag: string): Promise<'deleted' | 'changed'>;
}
