import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  AckPolicy,
  DeliverPolicy,
  headers as natsHeaders,
  nanos,
  type ConsumerMessages,
  type JsMsg,
  type NatsConnection,
} from 'nats';
import { z } from 'zod';
import { eventEnvelopeSchema, type ConsumerStatus, type EventEnvelope } from '@portal/contracts';
import { exponentialDelayMs, redeliveryDelayMs } from './backoff.ts';
import { errorText, type DurableLogger } from './durable-logger.ts';
import { DEAD_LETTER_STREAM, deadLetterHeaders, deadLetterSubjectOf, ensureDeadLetterStream } from './streams.ts';
import { traceEventHandling } from '../observability/tracing-events.ts';

/**
 * Applies one event inside the transaction that also records it in the inbox. `signal` aborts when
 * the handler runs out of time: the transaction is rolled back then, whatever the handler still does.
 * `afterCommit` registers work that must only follow a committed apply (a live signal of what was
 * written); it runs once the transaction has committed, never on a rollback or a duplicate, and its
 * failure is logged, not retried.
 */
export type DurableEventHandler = (
  envelope: EventEnvelope<unknown>,
  em: EntityManager,
  signal: AbortSignal,
  afterCommit: (work: () => void | Promise<void>) => void,
) => Promise<void>;

/**
 * Thrown by a handler (or the typed layer) for a message no retry can fix: it is dead-lettered at
 * once with this message as the reason.
 */
export class PoisonMessageError extends Error {
  override name = 'PoisonMessageError';
}

/** A handler that did not finish within `handlerTimeoutMs`: a failed delivery, retried like any other. */
export class HandlerTimeoutError extends Error {
  override name = 'HandlerTimeoutError';
}

export const DEFAULT_HANDLER_TIMEOUT_MS = 30_000;
export const DEFAULT_INBOX_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

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
  /** Messages pulled per request (raised to `concurrency` if smaller); small, since each waits its turn. */
  batchSize?: number;
  /**
   * Messages applied at once, each in its own transaction and acked when it is done (default 1: one
   * at a time, in stream order). Above 1 the order between messages is not kept: a later event may
   * commit before an earlier one, and a retried one comes back after others. Use it only where each
   * event stands alone. Idempotency, retries, timeouts and dead-lettering are per message as before;
   * a failing or slow message holds one slot, not the others. Each slot holds a database connection
   * for its transaction: keep it below the ORM's pool size.
   */
  concurrency?: number;
  /** A handler running longer fails its delivery and its transaction is rolled back (default 30 s). */
  handlerTimeoutMs?: number;
  /**
   * Inbox rows of this consumer older than this are deleted (default 30 days; 0 keeps them). Must
   * exceed the stream's max age: a message still in the stream may be delivered again, and only its
   * inbox row stops a second apply.
   */
  inboxRetentionMs?: number;
  /** How often the inbox purge runs (default hourly; also once at start). */
  inboxPurgeIntervalMs?: number;
  /** Max age of the shared dead-letter stream, which the consumer creates if missing (0: unlimited). */
  deadLetterMaxAgeMs?: number;
}

export interface DurableConsumer {
  readonly durableName: string;
  readonly stream: string;
  /** Lag from JetStream (not yet delivered, delivered but unacked) and this consumer's dead letters. */
  status(): Promise<ConsumerStatus>;
  /** Rejects while the pull loop is failing, or JetStream does not know the consumer. */
  check(): Promise<void>;
  /** Stops pulling, finishes the messages in hand, hands buffered ones back, flushes acks. */
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
  const concurrency = options.concurrency ?? 1;
  // The client buffers up to this many; JetStream's max_ack_pending (default 1000) bounds them too.
  const batchSize = Math.max(options.batchSize ?? 20, concurrency);
  const handlerTimeoutMs = options.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS;
  const inboxRetentionMs = options.inboxRetentionMs ?? DEFAULT_INBOX_RETENTION_MS;
  const inboxPurgeIntervalMs = options.inboxPurgeIntervalMs ?? 60 * 60 * 1000;
  const { orm, logger, stream, durableName } = options;
  if (options.filterSubjects.length === 0) throw new Error('A durable consumer needs at least one filter subject.');
  if (maxDeliver < 1) throw new Error('maxDeliver must be at least 1.');
  if (handlerTimeoutMs < 1) throw new Error('handlerTimeoutMs must be positive.');
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('concurrency must be a whole number ≥ 1.');
  const deadLetterSubject = deadLetterSubjectOf(durableName);

  const jsm = await options.nats.jetstreamManager();
  await ensureDeadLetterStream(jsm, { maxAgeMs: options.deadLetterMaxAgeMs ?? 0 });
  await ensurePullConsumer(options.nats, stream, durableName, options.filterSubjects, ackWaitMs);
  const js = options.nats.jetstream();

  let stopping = false;
  const stopController = new AbortController();
  let messages: ConsumerMessages | undefined;
  let pullFailure: string | undefined;

  /**
   * Gives up on a message: the original body to the dead-letter stream (de-duplicated by stream
   * sequence, so a retry after a failed insert does not double it), a `dead_letter` row, then `term`.
   */
  async function deadLetter(msg: JsMsg, envelope: unknown, eventId: string | null, reason: string): Promise<void> {
    const info = msg.info;
    const headers = natsHeaders();
    headers.set(deadLetterHeaders.consumer, durableName);
    headers.set(deadLetterHeaders.stream, info.stream);
    headers.set(deadLetterHeaders.subject, msg.subject);
    if (eventId) headers.set(deadLetterHeaders.eventId, eventId);
    headers.set(deadLetterHeaders.deliveries, String(info.deliveryCount));
    headers.set(deadLetterHeaders.reason, headerText(reason));
    await js.publish(deadLetterSubject, msg.data, {
      headers,
      msgID: `${info.stream}-${info.streamSequence}-${durableName}`,
      expect: { streamName: DEAD_LETTER_STREAM },
    });
    await orm.em
      .fork()
      .execute(
        'insert into dead_letter (consumer, event_id, subject, envelope, error, deliveries, failed_at) values (?, ?, ?, ?::jsonb, ?, ?, now())',
        [durableName, eventId, msg.subject, JSON.stringify(envelope), reason, info.deliveryCount],
      );
    msg.term(headerText(reason).slice(0, 200));
    logger.error(
      { durableName, subject: msg.subject, eventId, deliveries: info.deliveryCount, reason },
      outcomeLogMessages['dead-lettered'],
    );
  }

  async function apply(
    msg: JsMsg,
    envelope: EventEnvelope<unknown>,
    committed: (() => void | Promise<void>)[],
  ): Promise<'applied' | 'duplicate'> {
    // Keeps the message ours while a slow handler runs, so it is not redelivered meanwhile.
    const progress = setInterval(() => msg.working(), Math.max(1000, Math.floor(ackWaitMs / 2)));
    const deadline = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    try {
      return await orm.em.fork().transactional(async (tx) => {
        // A statement stuck past the deadline (a lock wait) is cancelled too, so the rollback is not queued forever.
        await tx.execute(`select set_config('statement_timeout', ?, true)`, [String(handlerTimeoutMs)]);
        const inserted = await tx.execute<{ event_id: string }[]>(
          'insert into inbox (consumer, event_id, type) values (?, ?, ?) on conflict do nothing returning event_id',
          [durableName, envelope.id, envelope.type],
        );
        if (inserted.length === 0) return 'duplicate';
        const timedOut = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const error = new HandlerTimeoutError(`handler did not finish within ${handlerTimeoutMs} ms`);
            deadline.abort(error);
            reject(error);
          }, handlerTimeoutMs);
        });
        // On timeout the transaction rolls back; the handler may still run, but its transaction is
        // finished, so any later query through `tx` fails instead of committing.
        const afterCommit = (work: () => void | Promise<void>) => {
          if (!deadline.signal.aborted) committed.push(work);
        };
        await Promise.race([options.handle(envelope, tx, deadline.signal, afterCommit), timedOut]);
        return 'applied';
      });
    } finally {
      clearTimeout(timer);
      clearInterval(progress);
    }
  }

  async function deliver(msg: JsMsg): Promise<DeliveryOutcome> {
    const deliveries = msg.info.deliveryCount;
    const parsed = parseEnvelope(msg.data);
    if (!parsed.ok) {
      // Retrying cannot fix a malformed message: record it and tell the server to drop it.
      await deadLetter(msg, parsed.raw, parsed.eventId, parsed.error);
      return 'dead-lettered';
    }
    const { envelope } = parsed;
    if (envelope.type !== msg.subject) {
      // The subject routed it here; a different type inside means a forged or mis-published message.
      await deadLetter(
        msg,
        envelope,
        envelope.id,
        `subject "${msg.subject}" does not match the envelope type "${envelope.type}"`,
      );
      return 'dead-lettered';
    }
    const committed: (() => void | Promise<void>)[] = [];
    try {
      const outcome = await traceEventHandling(durableName, envelope, () => apply(msg, envelope, committed));
      msg.ack();
      if (outcome === 'applied') runAfterCommit(envelope.id, committed);
      return outcome;
    } catch (error) {
      if (error instanceof PoisonMessageError) {
        await deadLetter(msg, envelope, envelope.id, `poison message: ${error.message}`);
        return 'dead-lettered';
      }
      const text = errorText(error);
      if (deliveries >= maxDeliver) {
        await deadLetter(msg, envelope, envelope.id, `failed ${deliveries} times: ${text}`);
        return 'dead-lettered';
      }
      msg.nak(redeliveryDelayMs(deliveries, backoffMs));
      logger.warn({ durableName, eventId: envelope.id, deliveries, err: text }, outcomeLogMessages.retry);
      return 'retry';
    }
  }

  function runAfterCommit(eventId: string, work: readonly (() => void | Promise<void>)[]): void {
    for (const step of work) {
      Promise.resolve()
        .then(step)
        .catch((error: unknown) => {
          logger.warn({ durableName, eventId, err: errorText(error) }, 'durable consumer: after-commit work failed');
        });
    }
  }

  /** Delivers one message and settles it whatever happens; never rejects. */
  async function settle(msg: JsMsg): Promise<void> {
    try {
      const outcome = await deliver(msg);
      if (outcome === 'applied' || outcome === 'duplicate') {
        logger.debug({ durableName, subject: msg.subject }, outcomeLogMessages[outcome]);
      }
    } catch (error) {
      // Only giving up can get here (the dead-letter stream or PostgreSQL down): try again later.
      msg.nak(redeliveryDelayMs(msg.info.deliveryCount, backoffMs));
      logger.error(
        { durableName, subject: msg.subject, err: errorText(error) },
        'durable consumer: cannot record failure',
      );
    }
  }

  /** Messages being applied; at most `concurrency`. */
  const inFlight = new Set<Promise<void>>();

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopping) {
      try {
        const consumer = await js.consumers.get(stream, durableName);
        messages = await consumer.consume({ max_messages: batchSize });
        pullFailure = undefined;
        if (stopping) await messages.close();
        for await (const msg of messages) {
          if (stopping) {
            msg.nak();
            continue;
          }
          const delivery = settle(msg).finally(() => inFlight.delete(delivery));
          inFlight.add(delivery);
          // A free slot before taking the next message: the rest stay buffered (and unacked) meanwhile.
          if (inFlight.size >= concurrency) await Promise.race(inFlight);
          failures = 0;
        }
        // The iterator ended without stopping (the consumer was deleted): that is a failure too.
        if (!stopping) throw new Error('the message iterator ended');
      } catch (error) {
        if (stopping) break;
        failures += 1;
        pullFailure = errorText(error);
        const delayMs = exponentialDelayMs(failures, { initialMs: 500, maxMs: 15_000 });
        logger.warn(
          { durableName, failures, delayMs, err: errorText(error) },
          'durable consumer: pull failed, retrying',
        );
        await sleep(delayMs, undefined, { signal: stopController.signal }).catch(() => undefined);
      }
    }
    // Stopping finishes the messages in hand.
    await Promise.all(inFlight);
  }

  async function purgeInbox(): Promise<void> {
    if (inboxRetentionMs <= 0) return;
    try {
      const deleted = await orm.em
        .fork()
        .execute(
          `delete from inbox where consumer = ? and applied_at < now() - (? * interval '1 millisecond')`,
          [durableName, inboxRetentionMs],
          'run',
        );
      logger.debug({ durableName, deleted }, 'durable consumer: purged old inbox rows');
    } catch (error) {
      logger.warn({ durableName, err: errorText(error) }, 'durable consumer: inbox purge failed, will retry');
    }
  }

  const running = run();
  let purging = purgeInbox();
  const purgeTimer = setInterval(() => {
    purging = purging.then(purgeInbox);
  }, inboxPurgeIntervalMs);
  purgeTimer.unref();
  logger.info({ stream, durableName, filterSubjects: options.filterSubjects, concurrency }, 'durable consumer started');

  return {
    durableName,
    stream,
    async status() {
      const [info, [row]] = await Promise.all([
        jsm.consumers.info(stream, durableName),
        orm.em
          .fork()
          .execute<{ count: string }[]>('select count(*) from dead_letter where consumer = ?', [durableName]),
      ]);
      return {
        name: durableName,
        stream,
        pending: info.num_pending,
        ackPending: info.num_ack_pending,
        deadLettered: Number(row?.count ?? 0),
      };
    },
    async check() {
      if (stopping) throw new Error(`durable consumer ${durableName} is stopped`);
      if (pullFailure !== undefined) throw new Error(`durable consumer ${durableName} cannot pull: ${pullFailure}`);
      await jsm.consumers.info(stream, durableName);
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      clearInterval(purgeTimer);
      stopController.abort();
      await messages?.close();
      await running;
      await purging;
      // Acks are fire-and-forget on the connection: make sure they left before the caller closes it.
      await options.nats.flush().catch(() => undefined);
      logger.info({ stream, durableName }, 'durable consumer stopped');
    },
  };
}

/** Header values are one line; the full reason is in the `dead_letter` row. */
function headerText(text: string): string {
  const line = text.split('\n').find((part) => part.trim() !== '') ?? text;
  return line
    .replace(/[\r\n]+/g, ' ')
    .trim()
    .slice(0, 1024);
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
