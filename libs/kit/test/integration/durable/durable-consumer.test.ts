import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Migration } from '@mikro-orm/migrations';
import type { EventEnvelope } from '@portal/contracts';
import { createEnvelope } from '../../../src/durable/outbox.ts';
import {
  startDurableConsumer,
  type DurableConsumer,
  type DurableEventHandler,
} from '../../../src/durable/durable-consumer.ts';
import {
  countRows,
  openDurableTestStack,
  recordingLogger,
  waitFor,
  type DurableTestStack,
} from './durable-test-stack.ts';

class EffectTableMigration extends Migration {
  static migrationName = '20260101000001_effect';
  override up(): void {
    this.addSql('create table effect (event_id uuid not null, note text not null)');
  }
}

const actor = { kind: 'system', component: 'durable-it' } as const;
let stack: DurableTestStack;
const consumers: DurableConsumer[] = [];
let testNumber = 0;

beforeAll(async () => {
  stack = await openDurableTestStack([EffectTableMigration]);
});
afterEach(async () => {
  await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
});
afterAll(async () => {
  await stack?.close();
});

/** Each test gets its own aggregate (subject) and durable name on the shared stream. */
function scenario() {
  testNumber += 1;
  const subject = `${stack.service}.case${testNumber}.happened`;
  return { subject, durableName: `it-consumer-${testNumber}` };
}

async function publish(envelope: EventEnvelope<unknown>, msgID: string = envelope.id): Promise<void> {
  await stack.js.publish(envelope.type, new TextEncoder().encode(JSON.stringify(envelope)), { msgID });
}

async function consume(durableName: string, filterSubjects: string[], handle: DurableEventHandler, maxDeliver = 5) {
  const logger = recordingLogger();
  const consumer = await startDurableConsumer({
    orm: stack.orm,
    nats: stack.nats,
    stream: stack.streamName,
    durableName,
    filterSubjects,
    handle,
    logger,
    maxDeliver,
    backoffMs: [50],
    ackWaitMs: 5000,
  });
  consumers.push(consumer);
  return logger;
}

const recordEffect: (note: string) => DurableEventHandler = (note) => async (envelope, em) => {
  await em.execute('insert into effect (event_id, note) values (?, ?)', [envelope.id, note]);
};

async function settled(durableName: string): Promise<boolean> {
  const info = await stack.jsm.consumers.info(stack.streamName, durableName);
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

describe('durable consumer', () => {
  it('applies once a handler that throws twice then succeeds, rolling back the failed attempts', async () => {
    const { subject, durableName } = scenario();
    const envelope = createEnvelope({ type: subject, version: 1, data: { n: 1 }, actor });
    let attempts = 0;
    await consume(durableName, [subject], async (received, em) => {
      attempts += 1;
      await recordEffect(`attempt ${attempts}`)(received, em);
      if (attempts <= 2) throw new Error(`transient failure ${attempts}`);
    });
    await publish(envelope);

    await waitFor('the third attempt to be acked', async () => attempts === 3 && (await settled(durableName)));
    expect(await countRows(stack.orm, 'select count(*) from effect where event_id = ?', [envelope.id])).toBe(1);
    const [effect] = await stack.orm.em
      .fork()
      .execute<{ note: string }[]>('select note from effect where event_id = ?', [envelope.id]);
    expect(effect?.note).toBe('attempt 3');
    expect(
      await countRows(stack.orm, 'select count(*) from inbox where consumer = ? and event_id = ?', [
        durableName,
        envelope.id,
      ]),
    ).toBe(1);
    expect(await countRows(stack.orm, 'select count(*) from dead_letter where consumer = ?', [durableName])).toBe(0);
  });

  it('dead-letters a message whose handler always throws, after maxDeliver deliveries', async () => {
    const { subject, durableName } = scenario();
    const envelope = createEnvelope({ type: subject, version: 1, data: {}, actor });
    let attempts = 0;
    await consume(
      durableName,
      [subject],
      async (received, em) => {
        attempts += 1;
        await recordEffect('never kept')(received, em);
        throw new Error('the contact does not exist');
      },
      3,
    );
    await publish(envelope);

    await waitFor(
      'a dead letter',
      async () =>
        (await countRows(stack.orm, 'select count(*) from dead_letter where consumer = ?', [durableName])) === 1,
    );
    const [letter] = await stack.orm.em
      .fork()
      .execute<{ event_id: string; subject: string; error: string; deliveries: number; envelope: unknown }[]>(
        'select event_id, subject, error, deliveries, envelope from dead_letter where consumer = ?',
        [durableName],
      );
    expect(letter).toMatchObject({ event_id: envelope.id, subject, deliveries: 3 });
    expect(letter?.error).toContain('the contact does not exist');
    expect(letter?.envelope).toEqual(envelope);
    await waitFor('the message to be terminated', () => settled(durableName));
    // Terminated: no fourth delivery.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(attempts).toBe(3);
    expect(await countRows(stack.orm, 'select count(*) from effect where event_id = ?', [envelope.id])).toBe(0);
    expect(await countRows(stack.orm, 'select count(*) from inbox where event_id = ?', [envelope.id])).toBe(0);
  });

  it('does not call the handler again for a duplicate delivery, and acks it', async () => {
    const { subject, durableName } = scenario();
    const envelope = createEnvelope({ type: subject, version: 1, data: {}, actor });
    const calls: string[] = [];
    await consume(durableName, [subject], async (received, em) => {
      calls.push(received.id);
      await recordEffect('applied')(received, em);
    });
    // Two stream messages carrying the same event: a re-publish outside the duplicate window.
    await publish(envelope, `${envelope.id}-first`);
    await publish(envelope, `${envelope.id}-again`);

    await waitFor('both deliveries to be acked', async () => {
      const info = await stack.jsm.consumers.info(stack.streamName, durableName);
      return info.delivered.stream_seq > 0 && info.num_pending === 0 && info.num_ack_pending === 0;
    });
    expect(calls).toEqual([envelope.id]);
    expect(await countRows(stack.orm, 'select count(*) from effect where event_id = ?', [envelope.id])).toBe(1);
  });

  it('dead-letters a malformed message at once without calling the handler', async () => {
    const { subject, durableName } = scenario();
    let calls = 0;
    await consume(durableName, [subject], async () => {
      calls += 1;
    });
    await stack.js.publish(subject, new TextEncoder().encode('{"not": "an envelope"'));

    await waitFor(
      'a dead letter',
      async () =>
        (await countRows(stack.orm, 'select count(*) from dead_letter where consumer = ?', [durableName])) === 1,
    );
    const [letter] = await stack.orm.em
      .fork()
      .execute<{ event_id: string | null; deliveries: number; envelope: unknown; error: string }[]>(
        'select event_id, deliveries, envelope, error from dead_letter where consumer = ?',
        [durableName],
      );
    expect(letter).toMatchObject({ event_id: null, deliveries: 1, envelope: '{"not": "an envelope"' });
    expect(letter?.error).toMatch(/malformed envelope/);
    await waitFor('the message to be terminated', () => settled(durableName));
    expect(calls).toBe(0);
  });

  it('receives every subject of a multi-subject filter and nothing else', async () => {
    const first = scenario();
    const second = scenario();
    const ignored = scenario();
    const seen: string[] = [];
    await consume(first.durableName, [first.subject, second.subject], async (received) => {
      seen.push(received.type);
    });
    for (const subject of [first.subject, ignored.subject, second.subject]) {
      await publish(createEnvelope({ type: subject, version: 1, data: {}, actor }));
    }
    await waitFor('two events', async () => seen.length === 2 && (await settled(first.durableName)));
    expect(seen.sort()).toEqual([first.subject, second.subject].sort());
  });
});
