import { MikroORM, type EntityManager, type Options } from '@mikro-orm/postgresql';
import { Migrator, type Migration } from '@mikro-orm/migrations';

export type MigrationClass = new (...args: ConstructorParameters<typeof Migration>) => Migration;

export interface ServiceOrmOptions {
  /** The service's PostgreSQL schema; its role should own it and nothing else. */
  schema: string;
  databaseUrl: string;
  entities?: NonNullable<Options['entities']>;
  /** Ordered, append-only; each class sets a stable `name`. */
  migrations: readonly MigrationClass[];
  poolMax?: number;
  /** Where applied migrations are recorded; only tests that must not disturb a service's own history change it. */
  migrationsTable?: string;
}

export type ServiceOrm = MikroORM;
export type ServiceEntityManager = EntityManager;

/**
 * One MikroORM per service, bound to the service's own schema and role. Migrations are listed in
 * code (not discovered from files) so the same list runs from sources, a bundle or a container.
 */
export async function createServiceOrm(options: ServiceOrmOptions): Promise<ServiceOrm> {
  return MikroORM.init({
    clientUrl: options.databaseUrl,
    schema: options.schema,
    entities: options.entities ?? [],
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: {
      tableName: options.migrationsTable ?? 'mikro_orm_migrations',
      schema: options.schema,
      migrationsList: options.migrations.map((migrationClass) => ({
        name: migrationName(migrationClass),
        class: migrationClass,
      })),
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      // The caller logs what was applied through the service's own logger.
      silent: true,
    },
    pool: { min: 0, max: options.poolMax ?? 10 },
    // Unqualified SQL (raw queries, migrations) must land in the service's schema whatever the role's defaults.
    driverOptions: { options: `-c search_path=${options.schema}` },
    allowGlobalContext: false,
    // MikroORM finds a running transaction by context name: one name per service, so a handler of one
    // service calling another in the same process (all-in-one) never runs its SQL in the caller's transaction.
    contextName: options.schema,
  });
}

function migrationName(migrationClass: MigrationClass): string {
  const name = (migrationClass as unknown as { migrationName?: string }).migrationName ?? migrationClass.name;
  if (!name) throw new Error('A migration class needs a stable static `migrationName`.');
  return name;
}

/** Applies pending migrations; returns the names applied in this call. */
export async function migrateToLatest(orm: ServiceOrm): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((migration) => migration.name);
}
