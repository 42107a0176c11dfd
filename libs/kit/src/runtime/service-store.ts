import type moleculer from 'moleculer';
import type { NatsConnection } from 'nats';
import { defaultEventInboxRetentionDays, defaultEventStreamMaxAgeDays } from '@portal/config';
import type { ConsumerStatus, OutboxStatus, ServiceName } from '@portal/contracts';
import type { DurableConsumer } from '../durable/durable-consumer.ts';
import { durableEventsMigrations } from '../durable/durable-events-quarantine.migration.ts';
import { outboxStatusOf, startOutboxRelay } from '../durable/outbox-relay.ts';
import { ensureServiceStream } from '../durable/streams.ts';
import { startConsumer, type ConsumerDefinition } from '../durable/typed-consumer.ts';
import { createServiceOrm, migrateToLatest, type MigrationClass, type ServiceOrm } from '../orm/service-orm.ts';
import type { ReadinessCheck } from '../health/health-server.ts';
import type { DurableSettings } from './service-module.ts';

/** What the status action shows of a service's durable events. */
export interface DurableStatus {
  outbox: OutboxStatus;
  consumers: ConsumerStatus[];
}

export interface ServiceStore {
  orm: ServiceOrm;
  /** `postgres`, and `consumer.<durable name>` per consumer (down while its pull loop fails; lag is not failure). */
  readiness: Record<string, ReadinessCheck>;
  /** Outbox backlog and consumer lag, for `statusActionOf`. */
  durableStatus(): Promise<DurableStatus>;
  /** Stops the consumers, then the relay, then closes the ORM. */
  stop(): Promise<void>;
}

const dayMs = 24 * 60 * 60 * 1000;
/** `createServiceOrm`'s own default. */
const defaultPoolMax = 10;

/**
 * A service's own persistence: its schema migrated to the latest version (the durable-event
 * tables first), its JetStream stream with the configured max age, the outbox relay that moves
 * committed events to it, and the module's durable consumers (started after the migrations).
 */
/** The migrations `openServiceStore` applies: the durable-events tables first, then the service's own. */
export function storeMigrations(own: readonly MigrationClass[]): readonly MigrationClass[] {
  return [...durableEventsMigrations, ...own];
}

export async function openServiceStore(options: {
  service: ServiceName;
  databaseUrl: string;
  migrations: readonly MigrationClass[];
  entities?: Parameters<typeof createServiceOrm>[0]['entities'];
  nats: NatsConnection;
  logger: moleculer.Logger;
  /** From the module context: stream max age and inbox retention of this process. */
  durable: DurableSettings;
  consumers?: readonly ConsumerDefinition[];
  /** Defaults to the service name; tests use a scratch schema. */
  schema?: string;
}): Promise<ServiceStore> {
  const durableNames = (options.consumers ?? []).map((consumer) => consumer.durableName);
  const repeated = durableNames.find((name, index) => durableNames.indexOf(name) !== index);
  if (repeated) throw new Error(`Two consumers of ${options.service} are named ${repeated}.`);

  // Each consumer slot beyond the first holds a connection of its own for its transaction: the
  // pool grows by as many, so the headroom the module had with one message at a time stays.
  const extraSlots = (options.consumers ?? []).reduce((sum, consumer) => sum + (consumer.concurrency ?? 1) - 1, 0);
  const orm = await createServiceOrm({
    schema: options.schema ?? options.service,
    databaseUrl: options.databaseUrl,
    poolMax: defaultPoolMax + extraSlots,
    migrations: storeMigrations(options.migrations),
    ...(options.entities ? { entities: options.entities } : {}),
  });
  const consumers: DurableConsumer[] = [];
  let relay: Awaited<ReturnType<typeof startOutboxRelay>> | undefined;
  // Set once the store is up: the metrics read its figures from then until it stops.
  const reporting: { stop?: () => void } = {};
  const stop = async () => {
    reporting.stop?.();
    // Consumers first: their handlers write through the ORM that closes last.
    for (const consumer of consumers.splice(0).reverse()) await consumer.stop();
    await relay?.stop();
    await orm.close();
  };
  try {
    const applied = await migrateToLatest(orm);
    if (applied.length > 0) options.logger.info(`migrations applied: ${applied.join(', ')}`);

    await ensureServiceStream(await options.nats.jetstreamManager(), options.service, {
      maxAgeMs: options.durable.streamMaxAgeMs,
    });
    relay = await startOutboxRelay({
      orm,
      nats: options.nats,
      service: options.service,
      databaseUrl: options.databaseUrl,
      logger: options.logger,
      // Published rows are only kept as a short audit of what was relayed; the stream is the record.
      purgePublishedAfterDays: 7,
    });
    for (const definition of options.consumers ?? []) {
      // The producer's stream may not exist yet (its service starts later): create it as the
      // producer would, so services start in any order.
      const producer = definition.filterSubjects[0]?.split('.')[0];
      if (producer) {
        await ensureServiceStream(await options.nats.jetstreamManager(), producer, {
          maxAgeMs: options.durable.streamMaxAgeMs,
        });
      }
      consumers.push(
        await startConsumer(definition, {
          orm,
          nats: options.nats,
          logger: options.logger,
          inboxRetentionMs: options.durable.inboxRetentionMs,
          deadLetterMaxAgeMs: options.durable.streamMaxAgeMs,
        }),
      );
    }
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }

  const readiness: Record<string, ReadinessCheck> = {
    postgres: async () => {
      await orm.em.fork().execute('select 1');
    },
  };
  for (const consumer of consumers) readiness[`consumer.${consumer.durableName}`] = () => consumer.check();

  const durableStatus = async (): Promise<DurableStatus> => {
    const [outbox, consumerStatus] = await Promise.all([
      outboxStatusOf(orm.em.fork()),
      Promise.all(consumers.map((consumer) => consumer.status())),
    ]);
    return { outbox, consumers: consumerStatus };
  };
  reporting.stop = options.durable.metrics?.reportDurableStatus(options.service, durableStatus);
  return { orm, readiness, durableStatus, stop };
}

/** The process settings (`EVENT_STREAM_MAX_AGE_DAYS`, `EVENT_INBOX_RETENTION_DAYS`) in milliseconds. */
export function durableSettingsOf(env: {
  EVENT_STREAM_MAX_AGE_DAYS: number;
  EVENT_INBOX_RETENTION_DAYS: number;
}): DurableSettings {
  return {
    streamMaxAgeMs: env.EVENT_STREAM_MAX_AGE_DAYS * dayMs,
    inboxRetentionMs: env.EVENT_INBOX_RETENTION_DAYS * dayMs,
  };
}

/** The settings a process gets without `EVENT_*` variables (for tests that build a module by hand). */
export const defaultDurableSettings: DurableSettings = durableSettingsOf({
  EVENT_STREAM_MAX_AGE_DAYS: defaultEventStreamMaxAgeDays,
  EVENT_INBOX_RETENTION_DAYS: defaultEventInboxRetentionDays,
});
