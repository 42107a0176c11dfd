import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Migration } from '@mikro-orm/migrations';
import type { EventEnvelope } from '@portal/contracts';
import { appendManyToOutbox, createEnvelope } from '../../../src/durable/outbox.ts';
import { outboxStatusOf, startOutboxRelay, type OutboxRelay } from '../../../src/durable/outbox-relay.ts';
import { startDurableConsumer, type DurableConsumer } from '../../../src/durable/durable-consumer.ts';
import {
  countRows,
  openDurableTestStack,
  recordingLogger,
  waitFor,
  type DurableTestStack,
} from './durable-test-stack.ts';

class AppliedTableMigration extends Migration {
  static migrationName = '20260101000001_applied';
  override up(): void {
    this.addSql('create table applied (event_id uuid primary key)');
  }
}

const actor = { kind: 'system', component: 'durable-it' } as const;
let stack: DurableTestStack;
const running: (OutboxRelay | DurableConsumer)[] = [];

beforeAll(async () => {
  stack = await openDurableTestStack([AppliedTableMigration]);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((started) => started.stop()));
});
afterAll(async () => {
  await stack?.close();
});

async function commit(envelopes: EventEnvelope<unknown>[]): Promise<void> {
  await stack.orm.em.fork().transactional((tx) => appendManyToOutbox(tx, envelopes));
}

describe('outbox quarantine', () => {
  it('quarantines a row JetStream keeps refusing after N attempts, while later events are published and consumed', async () => {
    const subject = `${stack.service}.widget.created`;
    const good = (n: number) => createEnvelope({ type: subject, version: 1, data: { n }, actor });
    // Outside the service's stream: no stream captures it, so every publish of it fails.
    const poison = createEnvelope({ type: 'elsewhere.widget.created', version: 1, data: {}, actor });
    const before = [good(1), good(2)];
    await commit(before);
    await commit([poison]);
    const after = [good(3), good(4)];
    await commit(after);

    const consumer = await startDurableConsumer({
      orm: stack.orm,
      nats: stack.nats,
      stream: stack.streamName,
      durableName: 'quarantine-consumer',
      filterSubjects: [subject],
      logger: recordingLogger(),
      async handle(envelope, em) {
        await em.execute('insert into applied (event_id) values (?)', [envelope.id]);
      },
    });
    running.push(consumer);
    const logger = recordingLogger();
    const relay = await startOutboxRelay({
      orm: stack.orm,
      nats: stack.nats,
      service: stack.service,
      logger,
      databaseUrl: stack.databaseUrl,
      publishTimeoutMs: 1000,
      retryBackoff: { initialMs: 20, maxMs: 100 },
      maxPublishAttempts: 3,
    });
    running.push(relay);

    await waitFor(
      'the poison row to be quarantined',
      async () => (await countRows(stack.orm, 'select count(*) from outbox where quarantined_at is not null')) === 1,
    );
    const [row] = await stack.orm.em
      .fork()
      .execute<{ id: string; attempts: number; last_error: string | null; published_at: string | null }[]>(
        'select id, attempts, last_error, published_at from outbox where quarantined_at is not null',
      );
    expect(row).toMatchObject({ id: poison.id, attempts: 3, published_at: null });
    expect(row?.last_error).toBeTruthy();
    const quarantineLog = logger.lines.find((line) => line.level === 'error' && /quarantined/.test(line.message));
    expect(quarantineLog?.details).toMatchObject({ eventId: poison.id, attempts: 3 });

    // Later events still flow: one committed after the quarantine too.
    const late = good(5);
    await commit([late]);
    const expected = [...before, ...after, late].map((envelope) => envelope.id).sort();
    await waitFor(
      'every good event to be consumed',
      async () => (await countRows(stack.orm, 'select count(*) from applied')) === expected.length,
    );
    const applied = await stack.orm.em.fork().execute<{ event_id: string }[]>('select event_id from applied');
    expect(applied.map((entry) => entry.event_id).sort()).toEqual(expected);
    await relay.drained();
    expect(await outboxStatusOf(stack.orm.em.fork())).toEqual({ unpublished: 0, quarantined: 1 });
    // The quarantined row was not tried again after the third attempt.
    const [again] = await stack.orm.em
      .fork()
      .execute<{ attempts: number }[]>('select attempts from outbox where id = ?', [poison.id]);
    expect(again?.attempts).toBe(3);
  });
});
