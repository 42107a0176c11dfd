import { afterEach, describe, expect, it } from 'vitest';
import { durableEventsMigrations, type MigrationClass } from '@portal/kit';
import { openScratchSchema, type ScratchSchema } from '@portal/testing';
import { directoryMigrations } from '@portal/directory/migrations';
import { documentsMigrations } from '@portal/documents/migrations';
import { gatewayMigrations } from '@portal/gateway/migrations';
import { identityMigrations } from '@portal/identity/migrations';
import { notificationsMigrations } from '@portal/notifications/migrations';
import { submittalsMigrations } from '@portal/submittals/migrations';

const servicesMigrations: Record<string, readonly MigrationClass[]> = {
  gateway: gatewayMigrations,
  identity: identityMigrations,
  directory: directoryMigrations,
  documents: documentsMigrations,
  submittals: submittalsMigrations,
  notifications: notificationsMigrations,
};

/** Everything a migration can leave behind in a schema, by kind and name. */
async function objectsIn(scratch: ScratchSchema): Promise<string[]> {
  const rows = await scratch.orm.em.fork().execute<{ object: string }[]>(
    `select 'table ' || table_name as object from information_schema.tables where table_schema = ?
       and table_name <> 'mikro_orm_migrations'
     union all select 'column ' || table_name || '.' || column_name || ' ' || data_type
       from information_schema.columns where table_schema = ? and table_name <> 'mikro_orm_migrations'
     union all select 'index ' || indexname || ': ' || indexdef from pg_indexes where schemaname = ?
       and tablename <> 'mikro_orm_migrations'
     union all select 'function ' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = ?
     union all select 'type ' || t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace
       where n.nspname = ? and t.typtype in ('e', 'd')
     union all select 'sequence ' || sequence_name from information_schema.sequences where sequence_schema = ?
       and sequence_name not like 'mikro_orm_migrations%'
     order by 1`,
    Array(6).fill(scratch.schema),
  );
  return rows.map((row) => row.object.replaceAll(`${scratch.schema}.`, '<schema>.'));
}

// Every service's migrations go up, all the way down, and up again to the same schema: a
// rollback in production is a tested path, not a hope.
describe('migrations: up, down, up', () => {
  let scratch: ScratchSchema | undefined;
  afterEach(async () => {
    await scratch?.close();
    scratch = undefined;
  });

  it.each(Object.entries(servicesMigrations))('%s', async (service, migrations) => {
    scratch = await openScratchSchema({
      prefix: `mig_${service}`,
      migrations: [...durableEventsMigrations, ...migrations],
    });
    const afterUp = await objectsIn(scratch);
    expect(afterUp.filter((object) => object.startsWith('table '))).toEqual(
      expect.arrayContaining(['table dead_letter', 'table inbox', 'table outbox']),
    );

    await scratch.orm.migrator.down({ to: 0 });
    expect(await objectsIn(scratch)).toEqual([]);

    await scratch.orm.migrator.up();
    expect(await objectsIn(scratch)).toEqual(afterUp);
  });
});
