import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { stackEnv } from '@portal/testing';

describe('the suites get a database of their own', () => {
  it('points the admin and every service URL at the _test database', () => {
    const env = stackEnv();
    for (const key of ['PG_ADMIN_URL', 'DIRECTORY_DATABASE_URL', 'DOCUMENTS_DATABASE_URL']) {
      expect(new URL(String(env[key])).pathname, key).toMatch(/_test$/);
    }
  });

  it('lets each service role in, to its own schema only', async () => {
    const client = new pg.Client({ connectionString: stackEnv().DIRECTORY_DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; schema: string }>(
        'select current_database() as db, current_schema() as schema',
      );
      expect(rows[0]?.db).toMatch(/_test$/);
      expect(rows[0]?.schema).toBe('directory');
      await expect(client.query('select 1 from documents.outbox limit 1')).rejects.toThrow(
        /permission denied for schema documents/,
      );
    } finally {
      await client.end();
    }
  });
});
