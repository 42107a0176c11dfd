import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migration } from '@mikro-orm/migrations';
import { nanos } from 'nats';
import { z } from 'zod';
import { defineEvent, type ServiceStatus } from '@portal/contracts';
import { stackEnv } from '@portal/testing';
import { createBroker } from '../../../src/broker/create-broker.ts';
import { natsSettingsOf } from '../../../src/broker/nats-client.ts';
import { call } from '../../../src/broker/typed-call.ts';
import { createEnvelope } from '../../../src/durable/outbox.ts';
import { DEAD_LETTER_STREAM, ensureServiceStream } from '../../../src/durable/streams.ts';
import { defineConsumerFor } from '../../../src/durable/typed-consumer.ts';
import { defineServiceModule, type ServiceInstance } from '../../../src/runtime/service-module.ts';
import { openServiceStore, storeMigrations } from '../../../src/runtime/service-store.ts';
import { statusActionOf } from '../../../src/runtime/status-action.ts';
import { adminQuery, openDurableTestStack, waitFor, type DurableTestStack } from './durable-test-stack.ts';

// A service module with a consumer, run the way runServiceProcess runs it (create, broker start,
// stop), to see its lag in `<service>.status` and its settings reach JetStream.

class AppliedTableMigration extends Migration {
  static migrationName = '20260201000000_applied';
  override up(): void {
    this.addSql('create table applied (event_id uuid primary key)');
  }
}

const day = 24 * 60 * 60 * 1000;
const durable = { streamMaxAgeMs: 3 * day, inboxRetentionMs: 5 * day };
const durableName = 'status-it-consumer';
// The status contract only knows real service names; the scratch schema and namespace isolate it.
const service = 'submittals';
let stack: DurableTestStack;
let schema = '';

beforeAll(async () => {
  stack = await openDurableTestStack();
  schema = `durable_status_${randomBytes(4).toString('hex')}`;
  await adminQuery(stack.databaseUrl, `create schema ${schema}`);
});
afterAll(async () => {
  await stack.jsm.consumers.delete(stack.streamName, durableName).catch(() => false);
  await stack?.close();
  if (schema) await adminQuery(stack.databaseUrl, `drop schema if exists ${schema} cascade`);
});

function moduleWith(handle: () => Promise<void>) {
  const subject = `${stack.service}.widget.created`;
  const definition = defineConsumerFor({
    [subject]: defineEvent({ version: 1, description: 'test', data: z.object({ n: z.int() }) }),
  })({
    durableName,
    events: [subject],
    batchSize: 1,
    async handle(event, em) {
      await handle();
      await em.execute('insert into applied (event_id) values (?)', [event.id]);
    },
  });
  return defineServiceModule({
    name: service,
    env: z.object({}),
    migrations: storeMigrations([AppliedTableMigration]),
    async create({ nats, logger, durable: settings }): Promise<ServiceInstance> {
      const store = await openServiceStore({
        service,
        schema,
        databaseUrl: stack.databaseUrl,
        migrations: [AppliedTableMigration],
        nats,
        logger,
        durable: settings,
        consumers: [definition],
      });
      return {
        schemas: [
          { name: service, actions: { status: statusActionOf(service, store.readiness, 'test', store.durableStatus) } },
        ],
        readiness: store.readiness,
        stop: store.stop,
      };
    },
  });
}

async function runModule(handle: () => Promise<void>) {
  const broker = createBroker({
    nodeID: `status-it-${randomUUID().slice(0, 6)}`,
    ...natsSettingsOf(stackEnv()),
    namespace: `status-it-${randomBytes(4).toString('hex')}`,
    logLevel: 'warn',
  });
  const module = moduleWith(handle);
  const instance = await module.create({
    broker,
    env: {},
    durable,
    nats: stack.nats,
    logger: broker.getLogger(service),
  });
  for (const schema of instance.schemas) broker.createService(schema);
  await broker.start();
  return {
    status: () => call(broker, `${service}.status`, {}) as Promise<ServiceStatus>,
    async stop() {
      await broker.stop();
      await instance.stop();
    },
  };
}

const consumerOf = (status: ServiceStatus) => status.consumers?.find((consumer) => consumer.name === durableName);

describe('a service store with a consumer', () => {
  it('shows the lag of events published while it was stopped in its status, readiness up meanwhile', async () => {
    const first = await runModule(async () => {});
    const idle = await first.status();
    expect(consumerOf(idle)).toEqual({
      name: durableName,
      stream: stack.streamName,
      pending: 0,
      ackPending: 0,
      deadLettered: 0,
    });
    expect(idle.outbox).toEqual({ unpublished: 0, quarantined: 0 });
    expect(idle.dependencies[`consumer.${durableName}`]).toBe('up');
    await first.stop();

    const envelopes = [1, 2, 3, 4, 5].map((n) =>
      createEnvelope({
        type: `${stack.service}.widget.created`,
        version: 1,
        data: { n },
        actor: { kind: 'system', component: 'it' },
      }),
    );
    for (const envelope of envelopes) {
      await stack.js.publish(envelope.type, new TextEncoder().encode(JSON.stringify(envelope)), { msgID: envelope.id });
    }

    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const second = await runModule(() => gate);
    try {
      // The first event is held by the gated handler; the rest wait in the stream.
      await waitFor('the first delivery', async () => (consumerOf(await second.status())?.ackPending ?? 0) >= 1);
      const lagging = await second.status();
      const lag = consumerOf(lagging);
      expect(lag?.pending).toBeGreaterThan(0);
      expect((lag?.pending ?? 0) + (lag?.ackPending ?? 0)).toBe(5);
      expect(lagging.dependencies[`consumer.${durableName}`]).toBe('up');

      release();
      await waitFor('the lag to drain', async () => {
        const drained = consumerOf(await second.status());
        return drained?.pending === 0 && drained.ackPending === 0;
      });
      const [applied] = await stack.orm.em
        .fork()
        .execute<{ count: string }[]>(`select count(*) from ${schema}.applied`);
      expect(Number(applied?.count)).toBe(5);

      // A pull loop that cannot work (its JetStream consumer is gone) turns readiness down.
      await stack.jsm.consumers.delete(stack.streamName, durableName);
      await waitFor(
        'the consumer check to go down',
        async () => (await second.status()).dependencies[`consumer.${durableName}`] === 'down',
      );
    } finally {
      release();
      await second.stop();
    }
  });

  it('applies the configured max age to the service stream and the dead-letter stream', async () => {
    const running = await runModule(async () => {});
    try {
      const jsm = stack.jsm;
      expect((await jsm.streams.info('SUBMITTALS')).config.max_age).toBe(nanos(durable.streamMaxAgeMs));
      expect((await jsm.streams.info(DEAD_LETTER_STREAM)).config.max_age).toBe(nanos(durable.streamMaxAgeMs));
      const changed = await ensureServiceStream(jsm, stack.extraService(), { maxAgeMs: day });
      expect(changed.config.max_age).toBe(nanos(day));
    } finally {
      await running.stop();
    }
  });
});
