import { randomBytes } from 'node:crypto';
import { connect, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { Client } from 'pg';
import { stackEnv } from '@portal/testing';
import {
  createServiceOrm,
  migrateToLatest,
  type MigrationClass,
  type ServiceOrm,
} from '../../../src/orm/service-orm.ts';
import { natsConnectionOptionsOf } from '../../../src/broker/nats-client.ts';
import { durableEventsMigrations } from '../../../src/durable/durable-events-quarantine.migration.ts';
import { ensureServiceStream, streamNameOf } from '../../../src/durable/streams.ts';
import type { DurableLogger } from '../../../src/durable/durable-logger.ts';

/** One throwaway schema, stream and connections per test file; `close()` removes them all. */
export interface DurableTestStack {
  schema: string;
  service: string;
  streamName: string;
  databaseUrl: string;
  orm: ServiceOrm;
  nats: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** Another service name whose stream `close()` also deletes, for tests that create it late. */
  extraService(): string;
  close(): Promise<void>;
}

export async function openDurableTestStack(extraMigrations: readonly MigrationClass[] = []): Promise<DurableTestStack> {
  const env = stackEnv();
  const databaseUrl = requireVar(env, 'PG_ADMIN_URL');
  requireVar(env, 'NATS_URL');
  const suffix = randomBytes(4).toString('hex');
  const schema = `durable_it_${suffix}`;
  const service = `durabletest${suffix}`;
  await adminQuery(databaseUrl, `create schema ${schema}`);
  const orm = await createServiceOrm({
    schema,
    databaseUrl,
    migrations: [...durableEventsMigrations, ...extraMigrations],
  });
  await migrateToLatest(orm);
  const nats = await connect({ ...natsConnectionOptionsOf(env), name: `durable-it-${suffix}` });
  const jsm = await nats.jetstreamManager();
  await ensureServiceStream(jsm, service);
  const services = [service];
  return {
    schema,
    service,
    streamName: streamNameOf(service),
    databaseUrl,
    orm,
    nats,
    js: nats.jetstream(),
    jsm,
    extraService() {
      const extra = `${service}x${services.length}`;
      services.push(extra);
      return extra;
    },
    async close() {
      for (const name of services) await jsm.streams.delete(streamNameOf(name)).catch(() => false);
      await nats.close();
      await orm.close();
      await adminQuery(databaseUrl, `drop schema if exists ${schema} cascade`);
    },
  };
}

export async function adminQuery(databaseUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function requireVar(env: Record<string, string>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set: run through the integration vitest project.`);
  return value;
}

/** Polls until `check` returns true; fails with `what` instead of hanging. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Collects log lines; tests read warnings from it instead of printing them. */
export function recordingLogger(): DurableLogger & { lines: { level: string; message: string; details: object }[] } {
  const lines: { level: string; message: string; details: object }[] = [];
  const at = (level: string) => (details: object, message: string) => {
    lines.push({ level, message, details });
  };
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

export async function countRows(orm: ServiceOrm, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await orm.em.fork().execute<{ count: string }[]>(sql, params);
  return Number(row?.count ?? 0);
}
