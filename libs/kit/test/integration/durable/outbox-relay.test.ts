import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { headers } from 'nats';
import { appendToOutbox, createEnvelope } from '../../../src/durable/outbox.ts';
import { startOutboxRelay, type OutboxRelay } from '../../../src/durable/outbox-relay.ts';
import { ensureServiceStream, streamNameOf } from '../../../src/durable/streams.ts';
import {
  countRows,
  openDurableTestStack,
  recordingLogger,
  waitFor,
  type DurableTestStack,
} from './durable-test-stack.ts';

const actor = { kind: 'system', component: 'durable-it' } as const;
let stack: DurableTestStack;
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  stack = await openDurableTestStack();
});
afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  await stack.orm.em.fork().execute('delete from outbox');
  await stack.jsm.streams.purge(stack.streamName);
});
afterAll(async () => {
  await stack?.close();
});

const eventOf = (service: string, data: unknown = {}) =>
  createEnvelope({ type: `${service}.widget.created`, version: 1, data, actor });

async function commitEvents(envelopes: Parameters<typeof appendToOutbox>[1][]): Promise<void> {
  await stack.orm.em.fork().transactional(async (tx) => {
    for (const envelope of envelopes) await appendToOutbox(tx, envelope);
  });
}

async function relay(options: Partial<Parameters<typeof startOutboxRelay>[0]> = {}): Promise<OutboxRelay> {
  const started = await startOutboxRelay({
    orm: stack.orm,
    nats: stack.nats,
    service: stack.service,
    logger: recordingLogger(),
    databaseUrl: stack.databaseUrl,
    ...options,
  });
  relays.push(started);
  return started;
}

const storedMessages = async (stream = stack.streamName) => (await stack.jsm.streams.info(stream)).state.messages;

describe('outbox relay', () => {
  it('publishes a committed event with Nats-Msg-Id = event id, and nothing from a rolled-back transaction', async () => {
    const rolledBack = eventOf(stack.service, { n: 1 });
    await expect(
      stack.orm.em.fork().transactional(async (tx) => {
        await appendToOutbox(tx, rolledBack);
        throw new Error('business rule failed after the event was appended');
      }),
    ).rejects.toThrow(/business rule failed/);
    const committed = eventOf(stack.service, { n: 2 });
    await commitEvents([committed]);

    const running = await relay();
    await running.drained();

    expect(await storedMessages()).toBe(1);
    const stored = await stack.jsm.streams.getMessage(stack.streamName, { seq: 1 });
    expect(stored.header.get('Nats-Msg-Id')).toBe(committed.id);
    expect(stored.subject).toBe(committed.type);
    expect(stored.json()).toEqual(committed);
    expect(await countRows(stack.orm, 'select count(*) from outbox where id = ?', [rolledBack.id])).toBe(0);
    expect(await countRows(stack.orm, 'select count(*) from outbox where published_at is null')).toBe(0);
  });

  it('refuses to append outside a transaction, where the event could outlive a failed change', async () => {
    await expect(appendToOutbox(stack.orm.em.fork(), eventOf(stack.service))).rejects.toThrow(/transactional/);
    await expect(
      stack.orm.em
        .fork()
        .transactional((tx) => appendToOutbox(tx, { ...eventOf(stack.service), type: 'NotAnEventType' })),
    ).rejects.toThrow();
  });

  it('wakes on NOTIFY at commit instead of waiting for its poll', async () => {
    await relay({ pollIntervalMs: 60_000 });
    // Let the first (empty) pass finish so the relay is asleep on its minute-long poll.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const startedAt = Date.now();
    await commitEvents([eventOf(stack.service)]);
    await waitFor('the event to reach the stream', async () => (await storedMessages()) === 1, 5000);
    expect(Date.now() - startedAt).toBeLessThan(5000);
  });

  it('stores one message when the same event id is published twice within the duplicate window', async () => {
    const envelope = eventOf(stack.service);
    const body = new TextEncoder().encode(JSON.stringify(envelope));
    const first = await stack.js.publish(envelope.type, body, { msgID: envelope.id });
    const second = await stack.js.publish(envelope.type, body, { msgID: envelope.id });
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(await storedMessages()).toBe(1);
  });

  it('absorbs the re-publish of a relay that died between PubAck and commit', async () => {
    const envelope = eventOf(stack.service);
    await commitEvents([envelope]);
    // What the dead relay got out before it could mark the row published.
    const h = headers();
    await stack.js.publish(envelope.type, new TextEncoder().encode(JSON.stringify(envelope)), {
      msgID: envelope.id,
      headers: h,
    });

    const running = await relay();
    await running.drained();
    expect(await storedMessages()).toBe(1);
    expect(await countRows(stack.orm, 'select count(*) from outbox where published_at is not null')).toBe(1);
  });

  it('keeps rows unpublished while JetStream refuses them, and publishes them once it accepts', async () => {
    // A service whose stream does not exist yet: every publish fails, as when NATS is down.
    const lateService = stack.extraService();
    const envelopes = [eventOf(lateService, { n: 1 }), eventOf(lateService, { n: 2 })];
    await commitEvents(envelopes);
    const logger = recordingLogger();
    const running = await relay({
      service: lateService,
      logger,
      publishTimeoutMs: 500,
      retryBackoff: { initialMs: 50, maxMs: 200 },
      // An outage is not the rows' fault: even one allowed attempt must not quarantine them.
      maxPublishAttempts: 1,
    });
    await waitFor('two failed attempts', async () => logger.lines.filter((line) => line.level === 'warn').length >= 2);
    expect(await countRows(stack.orm, 'select count(*) from outbox where published_at is null')).toBe(2);
    expect(
      await countRows(stack.orm, 'select count(*) from outbox where quarantined_at is not null or attempts > 0'),
    ).toBe(0);

    await ensureServiceStream(stack.jsm, lateService);
    await waitFor(
      'the relay to publish after recovery',
      async () => (await countRows(stack.orm, 'select count(*) from outbox where published_at is null')) === 0,
    );
    await running.drained();
    expect(await storedMessages(streamNameOf(lateService))).toBe(2);
  });

  it('lets several relays share one outbox without losing or doubling events', async () => {
    const envelopes = Array.from({ length: 300 }, (_, n) => eventOf(stack.service, { n }));
    for (let i = 0; i < envelopes.length; i += 30) await commitEvents(envelopes.slice(i, i + 30));
    const running = await Promise.all([relay({ batchSize: 20 }), relay({ batchSize: 20 }), relay({ batchSize: 20 })]);
    await waitFor(
      'every row to be published',
      async () => (await countRows(stack.orm, 'select count(*) from outbox where published_at is null')) === 0,
    );
    await Promise.all(running.map((r) => r.drained()));
    expect(await storedMessages()).toBe(300);
  });
});
