import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createServiceOrm, migrateToLatest, type MigrationClass, type ServiceOrm } from '@portal/kit';
import { requireStackVar } from './stack-env.ts';

export interface ScratchSchema {
  schema: string;
  orm: ServiceOrm;
  /** Drops the schema and everything in it, and closes the pool. */
  close(): Promise<void>;
}

/**
 * A throwaway schema with a service's real migrations applied, so integration test files can run
 * in parallel with each other (and with a running system) without sharing rows.
 */
export async function openScratchSchema(options: {
  prefix: string;
  migrations: readonly MigrationClass[];
}): Promise<ScratchSchema> {
  const adminUrl = requireStackVar('PG_ADMIN_URL');
  const schema = `${options.prefix}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `create schema ${schema}`);
  const orm = await createServiceOrm({ schema, databaseUrl: adminUrl, migrations: options.migrations });
  await migrateToLatest(orm);
  return {
    schema,
    orm,
    async close() {
      await orm.close();
      await adminQuery(adminUrl, `drop schema if exists ${schema} cascade`);
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
