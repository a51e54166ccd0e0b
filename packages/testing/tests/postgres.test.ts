import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { postgresMissing, startPostgres, type PostgresServer } from '../src/postgres.js';

const missing = postgresMissing();
if (missing.length > 0)
  console.warn(`SKIPPED PostgreSQL helper tests: missing ${missing.join(', ')}. .ci/run installs postgresql, so CI never skips these.`);
const suite = missing.length === 0 ? describe : describe.skip;

suite('throwaway PostgreSQL cluster', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers queries on 127.0.0.1 with trust authentication', async () => {
    const client = new pg.Client({ connectionString: server.connectionString });
    await client.connect();
    try {
      const result = await client.query<{ one: number; addr: string }>('SELECT 1 AS one, inet_server_addr()::text AS addr');
      expect(result.rows[0]).toEqual({ one: 1, addr: '127.0.0.1/32' });
    } finally {
      await client.end();
    }
  });

  it('stops and removes its data directory', async () => {
    const extra = await startPostgres();
    expect(existsSync(extra.dataDir)).toBe(true);
    await extra.stop();
    expect(existsSync(extra.dataDir)).toBe(false);
    const client = new pg.Client({ connectionString: extra.connectionString, connectionTimeoutMillis: 2000 });
    await expect(client.connect()).rejects.toThrow();
  });
});
