/** One page of a listing: objects and (with a delimiter) the common prefixes below the listed prefix. */
export interface ListPage {
  objects: { key: string; size: number }[];
  prefixes: string[];
  /** Continuation token of the next page; undefined on the last page. */
  next?: string;
}

/** What the action needs from an object store; S3 in the action, a plain fake in unit tests. */
export interface BatchStore {
  /** s3://bucket/key for messages. */
  uri(key: string): string;
  list(prefix: string, options?: { delimiter?: string; token?: string; maxKeys?: number }): Promise<ListPage>;
  /** The object's text, or undefined when it does not exist. */
  read(key: string): Promise<string | undefined>;
  /** Creates the object only when no object has that key ('exists' otherwise). */
  createIfAbsent(key: string, body: string, contentType: string): Promise<'created' | 'exists'>;
}
