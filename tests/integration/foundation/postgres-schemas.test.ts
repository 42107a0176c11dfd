import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migration } from '@mikro-orm/migrations';
import { createServiceOrm, migrateToLatest, type ServiceOrm } from '@portal/kit';
import { requireStackVar } from '@portal/testing';
import { requireComponent } from './component-probes.ts';

// Each service connects as its own role; the launcher gives each role its own schema and nothing else.
class CreateProofNote extends Migration {
  static migrationName = '20261122000000_proof_note';
  override up(): void {
    this.addSql('create table proof_note (id int primary key, body text not null)');
  }
  override down(): void {
    this.addSql('drop table proof_note');
  }
}

describe('PostgreSQL: one schema and one role per service', () => {
  let directory: ServiceOrm;
  let documents: ServiceOrm;

  beforeAll(async () => {
    await requireComponent('postgres');
    directory = await createServiceOrm({
      schema: 'directory',
      databaseUrl: requireStackVar('DIRECTORY_DATABASE_URL'),
      migrations: [CreateProofNote],
      migrationsTable: 'proof_migrations',
    });
    documents = await createServiceOrm({
      schema: 'documents',
      databaseUrl: requireStackVar('DOCUMENTS_DATABASE_URL'),
      migrations: [CreateProofNote],
      migrationsTable: 'proof_migrations',
    });
  });

  afterAll(async () => {
    for (const orm of [directory, documents]) {
      if (!orm) continue;
      await orm.migrator.down({ to: 0 });
      await orm.em.fork().execute('drop table if exists proof_migrations');
      await orm.close();
    }
  });

  it('migrates and queries each service in its own schema', async () => {
    await migrateToLatest(directory);
    await migrateToLatest(documents);
    await directory.em.fork().execute("insert into proof_note (id, body) values (1, 'directory note')");
    await documents.em.fork().execute("insert into proof_note (id, body) values (1, 'documents note')");

    const [directoryRow] = await directory.em.fork().execute('select current_schema() as schema, body from proof_note');
    const [documentsRow] = await documents.em.fork().execute('select current_schema() as schema, body from proof_note');
    expect(directoryRow).toEqual({ schema: 'directory', body: 'directory note' });
    expect(documentsRow).toEqual({ schema: 'documents', body: 'documents note' });
  });

  it("does not let one service read another's schema", async () => {
    await expect(directory.em.fork().execute('select body from documents.proof_note')).rejects.toThrow(
      /permission denied for schema documents/,
    );
    await expect(documents.em.fork().execute('select body from directory.proof_note')).rejects.toThrow(
      /permission denied for schema directory/,
    );
  });
});
