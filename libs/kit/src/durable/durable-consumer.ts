import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AckPolicy, DeliverPolicy, nanos, type ConsumerMessages, type JsMsg, type NatsConnection } from 'nats';
import { z } from 'zod';
import { eventEnvelopeSchema, type EventEnvelope } from '@portal/contracts';
import { exponentialDelayMs, redeliveryDelayMs } from './backoff.ts';
import { errorText, type DurableLogger } from './durable-logger.ts';

/** Applies one event inside the transaction that also records it in the inbox. */
export type DurableEventHandler = (envelope: EventEnvelope<unknown>, em: EntityManager) => Promise<void>;

export interface DurableConsumerOptions {
  orm: MikroORM;
  nats: NatsConnection;
  /** The producing service's stream, e.g. `streamNameOf('directory')`. */
  stream: string;
  /** Also the inbox's `consumer` key: keep it stable across deploys. */
  durableName: string;
  filterSubjects: readonly string[];
  handle: DurableEventHandler;
  logger: DurableLogger;
  /** Deliveries before a failing message goes to `dead_letter`. */
  maxDeliver?: number;
  /** Redelivery delay after a failure: a schedule by delivery, or the first step of a doubling series. */
  backoffMs?: number | readonly number[];
  /** Redelivery after silence; a running handler keeps its message alive with progress acks. */
  ackWaitMs?: number;
  /** Messages pulled per request; small, since they are applied one by one. */
  batchSize?: number;
}

export interface DurableConsumer {
  /** Stops pulling, finishes the message in hand, hands buffered ones back, flushes acks. */
  stop(): Promise<void>;
}

export type DeliveryOutcome = 'applied' | 'duplicate' | 'retry' | 'dead-lettered';

const defaultBackoffMs = [1000, 5000, 15_000, 30_000, 60_000] as const;
const uuidSchema = z.uuid();
const outcomeLogMessages: Record<DeliveryOutcome, string> = {
  applied: 'durable event applied',
  duplicate: 'durable event already applied, acked',
  retry: 'durable event failed, will be redelivered',
  'dead-lettered': 'durable event dead-lettered',
};

/**
 * Applies a stream's events exactly once per consumer: a durable pull consumer delivers at least
 * once, and the inbox row written in the handler's transaction turns repeats into no-ops.
 * Dead-lettering is done here, not by the server's `max_deliver` (left unlimited): a message whose
 * last delivery timed out would otherwise stay unacknowledged and unrecorded.
 */
export async function startDurableConsumer(options: DurableConsumerOptions): Promise<DurableConsumer> {
  const maxDeliver = options.maxDeliver ?? 5;
  const backoffMs = options.backoffMs ?? defaultBackoffMs;
  const ackWaitMs = options.ackWaitMs ?? 30_000;
  const batchSize = options.batchSize ?? 20;
  const { orm, logger, stream, durableName } = options;
  if (options.filterSubjects.length === 0) throw new Error('A durable consumer needs at least one filter subject.');
  if (maxDeliver < 1) throw new Error('maxDeliver must be at least 1.');

  await ensurePullConsumer(options.nats, stream, durableName, options.filterSubjects, ackWaitMs);
  const js = options.nats.jetstream();

  let stopping = false;
  const stopController = new AbortController();
  let messages: ConsumerMessages | undefined;

  async function deadLetter(msg: JsMsg, envelope: unknown, eventId: string | null, error: string): Promise<void> {
    await orm.em
      .fork()
      .execute(
        'insert into dead_letter (consumer, event_id, subject, envelope, error, deliveries, failed_at) values (?, ?, ?, ?::jsonb, ?, ?, now())',
        [durableName, eventId, msg.subject, JSON.stringify(envelope), error, msg.info.deliveryCount],
      );
  }

  async function apply(msg: JsMsg, envelope: EventEnvelope<unknown>): Promise<'applied' | 'duplicate'> {
    // Keeps the message ours while a slow handler runs, so it is not redelivered meanwhile.
    const progress = setInterval(() => msg.working(), Math.max(1000, Math.floor(ackWaitMs / 2)));
    try {
      return await orm.em.fork().transactional(async (tx) => {
        const inserted = await tx.execute<{ event_id: string }[]>(
          'insert into inbox (consumer, event_id, type) values (?, ?, ?) on conflict do nothing returning event_id',
          [durableName, envelope.id, envelope.type],
        );
        if (inserted.length === 0) return 'duplicate';
        await options.handle(envelope, tx);
        return 'applied';
      });
    } finally {
      clearInterval(progress);
    }
  }

  async function deliver(msg: JsMsg): Promise<DeliveryOutcome> {
    const deliveries = msg.info.deliveryCount;
    const parsed = parseEnvelope(msg.data);
    if (!parsed.ok) {
      // Retrying cannot fix a malformed message: record it and tell the server to drop it.
      await deadLetter(msg, parsed.raw, parsed.eventId, parsed.error);
      msg.term('malformed envelope');
      return 'dead-lettered';
    }
    const { envelope } = parsed;
    try {
      const outcome = await apply(msg, envelope);
      msg.ack();
      return outcome;
    } catch (error) {
      const text = errorText(error);
      if (deliveries >= maxDeliver) {
        await deadLetter(msg, envelope, envelope.id, text);
        msg.term(`failed ${deliveries} times`);
        return 'dead-lettered';
      }
      msg.nak(redeliveryDelayMs(deliveries, backoffMs));
      logger.warn({ durableName, eventId: envelope.id, deliveries, err: text }, outcomeLogMessages.retry);
      return 'retry';
    }
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopping) {
      try {
        const consumer = await js.consumers.get(stream, durableName);
        messages = await consumer.consume({ max_messages: batchSize });
        if (stopping) await messages.close();
        for await (const msg of messages) {
          if (stopping) {
            msg.nak();
            continue;
          }
          try {
            const outcome = await deliver(msg);
            const level = outcome === 'dead-lettered' ? 'error' : 'debug';
            if (outcome !== 'retry') logger[level]({ durableName, subject: msg.subject }, outcomeLogMessages[outcome]);
          } catch (error) {
            // Only the dead-letter write can get here (PostgreSQL down): try again later.
            msg.nak(redeliveryDelayMs(msg.info.deliveryCount, backoffMs));
            logger.error(
              { durableName, subject: msg.subject, err: errorText(error) },
              'durable consumer: cannot record failure',
            );
          }
          failures = 0;
        }
      } catch (error) {
        if (stopping) break;
        failures += 1;
        const delayMs = exponentialDelayMs(failures, { initialMs: 500, maxMs: 15_000 });
        logger.warn(
          { durableName, failures, delayMs, err: errorText(error) },
          'durable consumer: pull failed, retrying',
        );
        await sleep(delayMs, undefined, { signal: stopController.signal }).catch(() => undefined);
      }
    }
  }

  const running = run();
  logger.info({ stream, durableName, filterSubjects: options.filterSubjects }, 'durable consumer started');

  return {
    async stop() {
      if (stopping) return;
      stopping = true;
      stopController.abort();
      await messages?.close();
      await running;
      // Acks are fire-and-forget on the connection: make sure they left before the caller closes it.
      await options.nats.flush().catch(() => undefined);
      logger.info({ stream, durableName }, 'durable consumer stopped');
    },
  };
}

export type ParsedEnvelope =
  { ok: true; envelope: EventEnvelope<unknown> } | { ok: false; raw: unknown; eventId: string | null; error: string };

/** Reads a message body as an envelope; what cannot be read is kept as-is for the dead letter. */
export function parseEnvelope(data: Uint8Array): ParsedEnvelope {
  const text = new TextDecoder().decode(data);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, raw: text, eventId: null, error: `malformed envelope: not JSON (${errorText(error)})` };
  }
  const result = eventEnvelopeSchema.safeParse(json);
  if (result.success) return { ok: true, envelope: result.data };
  const id = uuidSchema.safeParse((json as { id?: unknown } | null)?.id);
  return {
    ok: false,
    raw: json,
    eventId: id.success ? id.data : null,
    error: `malformed envelope: ${z.prettifyError(result.error)}`,
  };
}

/** Creates the durable pull consumer, or brings its filters and timings to this configuration. */
export async function ensurePullConsumer(
  nats: NatsConnection,
  stream: string,
  durableName: string,
  filterSubjects: readonly string[],
  ackWaitMs: number,
): Promise<void> {
  const jsm = await nats.jetstreamManager();
  // A single subject goes in filter_subject so older servers accept it; the other field is cleared.
  const filters =
    filterSubjects.length === 1
      ? { filter_subject: filterSubjects[0], filter_subjects: undefined }
      : { filter_subject: undefined, filter_subjects: [...filterSubjects] };
  const changeable = { ack_wait: nanos(ackWaitMs), max_deliver: -1, ...filters };
  const existing = await jsm.consumers.info(stream, durableName).catch((error: unknown) => {
    if ((error as { api_error?: { err_code?: number } }).api_error?.err_code === 10014) return null;
    throw error;
  });
  if (existing) {
    await jsm.consumers.update(stream, durableName, changeable);
    return;
  }
  await jsm.consumers.add(stream, {
    durable_name: durableName,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ...changeable,
  });
}
