import type moleculer from 'moleculer';
import type { NatsConnection } from 'nats';
import type { ServiceName } from '@portal/contracts';
import { DurableEventsMigration, ensureServiceStream, startOutboxRelay } from '../durable/index.ts';
import { createServiceOrm, migrateToLatest, type MigrationClass, type ServiceOrm } from '../orm/service-orm.ts';
import type { ReadinessCheck } from '../health/health-server.ts';

export interface ServiceStore {
  orm: ServiceOrm;
  readiness: Record<string, ReadinessCheck>;
  stop(): Promise<void>;
}

/**
 * A service's own persistence: its schema migrated to the latest version (the durable-event
 * tables first), its JetStream stream, and the outbox relay that moves committed events to it.
 */
export async function openServiceStore(options: {
  service: ServiceName;
  databaseUrl: string;
  migrations: readonly MigrationClass[];
  entities?: Parameters<typeof createServiceOrm>[0]['entities'];
  nats: NatsConnection;
  logger: moleculer.Logger;
}): Promise<ServiceStore> {
  const orm = await createServiceOrm({
    schema: options.service,
    databaseUrl: options.databaseUrl,
    migrations: [DurableEventsMigration, ...options.migrations],
    ...(options.entities ? { entities: options.entities } : {}),
  });
  const applied = await migrateToLatest(orm);
  if (applied.length > 0) options.logger.info(`migrations applied: ${applied.join(', ')}`);

  await ensureServiceStream(await options.nats.jetstreamManager(), options.service);
  const relay = await startOutboxRelay({
    orm,
    nats: options.nats,
    service: options.service,
    databaseUrl: options.databaseUrl,
    logger: options.logger,
    // Published rows are only kept as a short audit of what was relayed; the stream is the record.
    purgePublishedAfterDays: 7,
  });

  return {
    orm,
    readiness: {
      postgres: async () => {
        await orm.em.fork().execute('select 1');
      },
    },
    async stop() {
      await relay.stop();
      await orm.close();
    },
  };
}
