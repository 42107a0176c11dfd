import type moleculer from 'moleculer';
import type { NatsConnection } from 'nats';
import type { z } from 'zod';
import type { ServiceName } from '@portal/contracts';
import type { ReadinessCheck } from '../health/health-server.ts';
import type { DurableMetricsSink, ProcessMetrics } from '../observability/process-metrics.ts';
import type { MigrationClass } from '../orm/service-orm.ts';

/** The process's durable-event settings, for `openServiceStore`. */
export interface DurableSettings {
  /** Max age of the service's stream and of the dead-letter stream (`EVENT_STREAM_MAX_AGE_DAYS`). */
  streamMaxAgeMs: number;
  /** How long consumers keep inbox rows (`EVENT_INBOX_RETENTION_DAYS`); longer than the max age. */
  inboxRetentionMs: number;
  /** The process's metrics: the store reports its outbox backlog and consumer lag there at scrape time. */
  metrics?: DurableMetricsSink;
}

export interface ServiceModuleContext<Env> {
  broker: moleculer.ServiceBroker;
  env: Env;
  durable: DurableSettings;
  /** The process's own NATS connection for JetStream (the transporter keeps its own). */
  nats: NatsConnection;
  logger: moleculer.Logger;
  /** The process's one metrics registry (`GET /metrics` on the health port); absent in hand-built tests. */
  metrics?: ProcessMetrics;
}

export interface ServiceInstance {
  schemas: moleculer.ServiceSchema[];
  readiness: Record<string, ReadinessCheck>;
  /** Runs after the broker has stopped: close relays, consumers and pools. */
  stop(): Promise<void>;
}

/**
 * One deployable service: the environment it needs and how to build it. The same module runs
 * alone (`services/<name>/src/main.ts`) or beside the others in the all-in-one process.
 */
export interface ServiceModule<E extends z.ZodObject = z.ZodObject> {
  name: ServiceName;
  env: E;
  /**
   * Every migration `create` applies to the schema named like the service, in order (for a module
   * built on `openServiceStore`: `storeMigrations(own)`). `--migrate-only` applies exactly these.
   */
  migrations: readonly MigrationClass[];
  create(context: ServiceModuleContext<z.output<E>>): Promise<ServiceInstance>;
}

export function defineServiceModule<E extends z.ZodObject>(module: ServiceModule<E>): ServiceModule<E> {
  return module;
}
