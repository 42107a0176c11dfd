import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Migration } from '@mikro-orm/migrations';
import { z } from 'zod';
import { defineEvent, type EventEnvelope } from '@portal/contracts';
import { DEAD_LETTER_STREAM, deadLetterHeaders, deadLetterSubjectOf } from '../../../src/durable/streams.ts';
import { defineConsumerFor, startConsumer } from '../../../src/durable/typed-consumer.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
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

async function consume(
  durableName: string,
  filterSubjects: string[],
  handle: DurableEventHandler,
  maxDeliver = 5,
  extra: Partial<Parameters<typeof startDurableConsumer>[0]> = {},
) {
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
    ...extra,
  });
  consumers.push(consumer);
  return logger;
}

async function deadLetterRows(durableName: string) {
  return stack.orm.em
    .fork()
    .execute<{ event_id: string | null; subject: string; error: string; deliveries: number; envelope: unknown }[]>(
      'select event_id, subject, error, deliveries, envelope from dead_letter where consumer = ? order by id',
      [durableName],
    );
}

/** The last message the consumer put on the dead-letter stream. */
async function lastDeadLetterMessage(durableName: string) {
  return stack.jsm.streams.getMessage(DEAD_LETTER_STREAM, { last_by_subj: deadLetterSubjectOf(durableName) });
}

const recordEffect = (note: string) => async (envelope: EventEnvelope<unknown>, em: EntityManager) => {
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

  it('runs after-commit work once per committed apply: not for a rolled-back attempt, not for a duplicate', async () => {
    const { subject, durableName } = scenario();
    const envelope = createEnvelope({ type: subject, version: 1, data: { n: 1 }, actor });
    let attempts = 0;
    const afterCommits: { attempt: number; rowVisible: boolean }[] = [];
    await consume(durableName, [subject], async (received, em, _signal, afterCommit) => {
      attempts += 1;
      const attempt = attempts;
      await recordEffect(`attempt ${attempt}`)(received, em);
      afterCommit(async () => {
        // Another connection sees the effect: the work runs after the commit, not before.
        const rows = await countRows(stack.orm, 'select count(*) from effect where event_id = ?', [received.id]);
        afterCommits.push({ attempt, rowVisible: rows === 1 });
      });
      if (attempt === 1) throw new Error('transient failure');
    });
    await publish(envelope);
    await waitFor('the second attempt to be acked', async () => attempts === 2 && (await settled(durableName)));
    await publish(envelope, `${envelope.id}-again`);
    // Deliveries: the failed attempt, the applied one, the duplicate; all three acknowledged one way or another.
    await waitFor(
      'the duplicate to be acked',
      async () => (await stack.jsm.consumers.info(stack.streamName, durableName)).ack_floor.consumer_seq >= 3,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(afterCommits).toEqual([{ attempt: 2, rowVisible: true }]);
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

  it('puts a message whose handler always throws on the dead-letter stream after maxDeliver, while other events are applied', async () => {
    const { subject, durableName } = scenario();
    const doomed = createEnvelope({ type: subject, version: 1, data: { doomed: true }, actor });
    const fine = [1, 2, 3].map((n) => createEnvelope({ type: subject, version: 1, data: { n }, actor }));
    const attemptsOfDoomed: number[] = [];
    await consume(
      durableName,
      [subject],
      async (received, em) => {
        if (received.id === doomed.id) {
          attemptsOfDoomed.push(attemptsOfDoomed.length + 1);
          throw new Error('the contact does not exist');
        }
        await recordEffect('applied')(received, em);
      },
      3,
    );
    await publish(fine[0]!);
    await publish(doomed);
    await publish(fine[1]!);
    await publish(fine[2]!);

    await waitFor('a dead letter', async () => (await deadLetterRows(durableName)).length === 1);
    await waitFor('everything to settle', () => settled(durableName));
    expect(attemptsOfDoomed).toEqual([1, 2, 3]);
    expect(
      await countRows(stack.orm, 'select count(*) from effect where note = ?', ['applied']),
    ).toBeGreaterThanOrEqual(3);
    for (const envelope of fine) {
      expect(await countRows(stack.orm, 'select count(*) from effect where event_id = ?', [envelope.id])).toBe(1);
    }

    const message = await lastDeadLetterMessage(durableName);
    expect(message.subject).toBe(deadLetterSubjectOf(durableName));
    expect(JSON.parse(new TextDecoder().decode(message.data))).toEqual(doomed);
    expect(message.header.get(deadLetterHeaders.consumer)).toBe(durableName);
    expect(message.header.get(deadLetterHeaders.stream)).toBe(stack.streamName);
    expect(message.header.get(deadLetterHeaders.subject)).toBe(subject);
    expect(message.header.get(deadLetterHeaders.eventId)).toBe(doomed.id);
    expect(message.header.get(deadLetterHeaders.deliveries)).toBe('3');
    expect(message.header.get(deadLetterHeaders.reason)).toMatch(/^failed 3 times: Error: the contact does not exist$/);
  });

  it('retries a handler that hangs past its timeout, and commits nothing of the timed-out attempt', async () => {
    const { subject, durableName } = scenario();
    const envelope = createEnvelope({ type: subject, version: 1, data: {}, actor });
    let attempts = 0;
    let lateWrite: 'not tried' | 'refused' | 'accepted' = 'not tried';
    let sawAbort = false;
    let releaseHang!: () => void;
    const hangReleased = new Promise<void>((resolve) => {
      releaseHang = resolve;
    });
    const logger = await consume(
      durableName,
      [subject],
      async (received, em, signal) => {
        attempts += 1;
        if (attempts > 1) {
          await recordEffect('second attempt')(received, em);
          return;
        }
        await recordEffect('timed-out attempt')(received, em);
        signal.addEventListener('abort', () => {
          sawAbort = true;
        });
        await hangReleased;
        // The handler ignores the signal and writes again after its transaction was rolled back.
        try {
          await recordEffect('after the timeout')(received, em);
          lateWrite = 'accepted';
        } catch {
          lateWrite = 'refused';
        }
      },
      5,
      { handlerTimeoutMs: 300 },
    );
    await publish(envelope);

    await waitFor('the second attempt to be acked', async () => attempts === 2 && (await settled(durableName)));
    releaseHang();
    await waitFor('the hung handler to try its late write', async () => lateWrite !== 'not tried');
    expect(sawAbort).toBe(true);
    expect(lateWrite).toBe('refused');
    const notes = await stack.orm.em
      .fork()
      .execute<{ note: string }[]>('select note from effect where event_id = ?', [envelope.id]);
    expect(notes.map((row) => row.note)).toEqual(['second attempt']);
    expect(logger.lines.find((line) => line.level === 'warn')?.details).toMatchObject({ deliveries: 1 });
    expect(JSON.stringify(logger.lines.find((line) => line.level === 'warn')?.details)).toMatch(
      /did not finish within 300 ms/,
    );
  });

  it('dead-letters at once a message whose subject differs from its envelope type', async () => {
    const { subject, durableName } = scenario();
    const other = scenario().subject;
    let calls = 0;
    await consume(durableName, [subject, other], async () => {
      calls += 1;
    });
    const envelope = createEnvelope({ type: other, version: 1, data: {}, actor });
    await stack.js.publish(subject, new TextEncoder().encode(JSON.stringify(envelope)), { msgID: envelope.id });

    await waitFor('a dead letter', async () => (await deadLetterRows(durableName)).length === 1);
    const [letter] = await deadLetterRows(durableName);
    expect(letter).toMatchObject({ event_id: envelope.id, subject, deliveries: 1 });
    expect(letter?.error).toBe(`subject "${subject}" does not match the envelope type "${other}"`);
    const message = await lastDeadLetterMessage(durableName);
    expect(message.header.get(deadLetterHeaders.reason)).toBe(letter?.error);
    await waitFor('the message to be terminated', () => settled(durableName));
    expect(calls).toBe(0);
  });

  it('gives a typed consumer the payload parsed by the event schema, and dead-letters a payload that fails it', async () => {
    const { subject, durableName } = scenario();
    const contracts = {
      [subject]: defineEvent({
        version: 1,
        description: 'A widget was delivered.',
        data: z.object({ widgetId: z.uuid(), deliveredAt: z.iso.datetime().transform((text) => new Date(text)) }),
      }),
    };
    const received: { type: string; deliveredAt: unknown }[] = [];
    const definition = defineConsumerFor(contracts)({
      durableName,
      events: [subject],
      backoffMs: [50],
      async handle(event, em) {
        received.push({ type: event.type, deliveredAt: event.data.deliveredAt });
        await recordEffect('typed')(event, em);
      },
    });
    expect(definition).toMatchObject({ stream: stack.streamName, filterSubjects: [subject] });
    consumers.push(await startConsumer(definition, { orm: stack.orm, nats: stack.nats, logger: recordingLogger() }));

    const valid = createEnvelope({
      type: subject,
      version: 1,
      data: { widgetId: crypto.randomUUID(), deliveredAt: '2026-03-01T10:00:00.000Z' },
      actor,
    });
    const invalid = createEnvelope({ type: subject, version: 1, data: { widgetId: 'not-a-uuid' }, actor });
    await publish(invalid);
    await publish(valid);

    await waitFor(
      'one applied and one dead letter',
      async () => received.length === 1 && (await deadLetterRows(durableName)).length === 1,
    );
    await waitFor('both settled', () => settled(durableName));
    expect(received[0]?.type).toBe(subject);
    expect(received[0]?.deliveredAt).toBeInstanceOf(Date);
    expect((received[0]?.deliveredAt as Date).toISOString()).toBe('2026-03-01T10:00:00.000Z');
    const [letter] = await deadLetterRows(durableName);
    expect(letter).toMatchObject({ event_id: invalid.id, deliveries: 1 });
    expect(letter?.error).toMatch(
      new RegExp(`^poison message: payload does not match ${subject.replaceAll('.', '\\.')} v1`),
    );
    expect(letter?.error).toMatch(/widgetId/);
    expect((await lastDeadLetterMessage(durableName)).header.get(deadLetterHeaders.eventId)).toBe(invalid.id);
    expect(await countRows(stack.orm, 'select count(*) from inbox where event_id = ?', [invalid.id])).toBe(0);
  });

  it("purges its inbox rows older than the retention and keeps newer ones and other consumers' rows", async () => {
    const { subject, durableName } = scenario();
    const other = scenario().durableName;
    const day = 24 * 60 * 60 * 1000;
    const [oldRow, newRow, othersOldRow] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await stack.orm.em.fork().execute(
      `insert into inbox (consumer, event_id, type, applied_at) values
         (?, ?, 'x.y.z', now() - interval '3 days'), (?, ?, 'x.y.z', now() - interval '1 day' + interval '1 hour'),
         (?, ?, 'x.y.z', now() - interval '3 days')`,
      [durableName, oldRow, durableName, newRow, other, othersOldRow],
    );
    await consume(durableName, [subject], async () => {}, 5, { inboxRetentionMs: 2 * day, inboxPurgeIntervalMs: 100 });

    await waitFor(
      'the old row to be purged',
      async () => (await countRows(stack.orm, 'select count(*) from inbox where event_id = ?', [oldRow])) === 0,
    );
    expect(
      await countRows(stack.orm, 'select count(*) from inbox where event_id in (?, ?)', [newRow, othersOldRow]),
    ).toBe(2);
  });
});

describe('durable consumer with concurrency', () => {
  it('applies up to n messages at once, never more: a gate that opens only when n handlers are in flight', async () => {
    const { subject, durableName } = scenario();
    const concurrency = 4;
    const envelopes = Array.from({ length: concurrency * 2 }, (_, n) =>
      createEnvelope({ type: subject, version: 1, data: { n }, actor }),
    );
    let inFlight = 0;
    let mostInFlight = 0;
    const waiting: (() => void)[] = [];
    await consume(
      durableName,
      [subject],
      async (received, em) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        // One at a time, this would wait until the handler timeout, every time.
        const gate = new Promise<void>((resolve) => waiting.push(resolve));
        if (waiting.length === concurrency) {
          for (const open of waiting.splice(0)) open();
        }
        await gate;
        await recordEffect(durableName)(received, em);
        inFlight -= 1;
      },
      5,
      { concurrency, handlerTimeoutMs: 20_000 },
    );
    for (const envelope of envelopes) await publish(envelope);

    await waitFor('every message applied and acked', async () => settled(durableName), 10_000);
    expect(
      await countRows(stack.orm, 'select count(distinct event_id) from effect where note = ?', [durableName]),
    ).toBe(envelopes.length);
    expect(mostInFlight).toBe(concurrency);
  });

  it('applies an event once when copies of it are delivered side by side', async () => {
    const { subject, durableName } = scenario();
    const repeated = createEnvelope({ type: subject, version: 1, data: { repeated: true }, actor });
    const others = Array.from({ length: 6 }, (_, n) =>
      createEnvelope({ type: subject, version: 1, data: { n }, actor }),
    );
    const calls: string[] = [];
    await consume(
      durableName,
      [subject],
      async (received, em) => {
        calls.push(received.id);
        // Slow enough that the copies overlap: the second waits on the first one's inbox row.
        await new Promise((resolve) => setTimeout(resolve, 100));
        await recordEffect('applied')(received, em);
      },
      5,
      { concurrency: 4 },
    );
    // Three stream messages carrying the same event (re-published outside the duplicate window).
    await publish(repeated, `${repeated.id}-1`);
    await publish(repeated, `${repeated.id}-2`);
    await publish(others[0] as EventEnvelope<unknown>);
    await publish(repeated, `${repeated.id}-3`);
    for (const envelope of others.slice(1)) await publish(envelope);

    await waitFor('all nine messages acked', async () => {
      const info = await stack.jsm.consumers.info(stack.streamName, durableName);
      return info.delivered.stream_seq > 0 && info.num_pending === 0 && info.num_ack_pending === 0;
    });
    expect(calls.filter((id) => id === repeated.id)).toHaveLength(1);
    expect(await countRows(stack.orm, 'select count(*) from effect where event_id = ?', [repeated.id])).toBe(1);
    for (const envelope of others) expect(calls.filter((id) => id === envelope.id)).toHaveLength(1);
    expect(await countRows(stack.orm, 'select count(*) from inbox where consumer = ?', [durableName])).toBe(
      others.length + 1,
    );
  });

  it('retries a hanging, then failing message while the others complete, and applies it once in the end', async () => {
    const { subject, durableName } = scenario();
    const failing = createEnvelope({ type: subject, version: 1, data: { failing: true }, actor });
    const others = Array.from({ length: 8 }, (_, n) =>
      createEnvelope({ type: subject, version: 1, data: { n }, actor }),
    );
    const applied: string[] = [];
    let failingAttempts = 0;
    let appliedWhenTheFirstAttemptTimedOut = -1;
    const logger = await consume(
      durableName,
      [subject],
      async (received, em, signal) => {
        await recordEffect('applied')(received, em);
        if (received.id === failing.id) {
          failingAttempts += 1;
          if (failingAttempts === 1) {
            // Hangs until the handler timeout; one at a time, the others would wait behind it.
            await new Promise((_, reject) =>
              signal.addEventListener('abort', () => {
                appliedWhenTheFirstAttemptTimedOut = applied.length;
                reject(signal.reason as Error);
              }),
            );
          }
          if (failingAttempts === 2) throw new Error('transient failure');
        }
        // Runs just before the commit: the order in which the applies end.
        applied.push(received.id);
      },
      5,
      { concurrency: 3, backoffMs: [300], handlerTimeoutMs: 3000 },
    );
    await publish(failing);
    for (const envelope of others) await publish(envelope);

    await waitFor('the failing message applied on its third delivery', async () => settled(durableName));
    expect(appliedWhenTheFirstAttemptTimedOut).toBe(others.length);
    expect(failingAttempts).toBe(3);
    expect(applied.at(-1)).toBe(failing.id);
    expect(applied).toHaveLength(others.length + 1);
    expect(await countRows(stack.orm, 'select count(*) from effect where event_id = ?', [failing.id])).toBe(1);
    expect(await countRows(stack.orm, 'select count(*) from dead_letter where consumer = ?', [durableName])).toBe(0);
    expect(logger.lines.filter((line) => line.message === 'durable event failed, will be redelivered')).toHaveLength(2);
  });
});
