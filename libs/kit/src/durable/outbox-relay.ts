import { setTimeout as sleep } from 'node:timers/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { JetStreamManager, NatsConnection } from 'nats';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { OutboxStatus } from '@portal/contracts';
import { Client, escapeIdentifier } from 'pg';
import { exponentialDelayMs, type ExponentialBackoff } from './backoff.ts';
import { errorText, type DurableLogger } from './durable-logger.ts';
import { outboxChannelOf } from './outbox.ts';
import { streamNameOf } from './streams.ts';

export interface OutboxRelayOptions {
  orm: MikroORM;
  nats: NatsConnection;
  /** Names the stream (`DIRECTORY`); every event's subject must start with `<service>.`. */
  service: string;
  logger: DurableLogger;
  /** For the dedicated LISTEN connection; defaults to the ORM's `clientUrl`. */
  databaseUrl?: string;
  /** Rows claimed (and published in flight) per transaction. */
  batchSize?: number;
  /** Fallback poll when no NOTIFY arrives (missed while reconnecting, or LISTEN down). */
  pollIntervalMs?: number;
  /** How long to wait for each PubAck before the batch counts as failed. */
  publishTimeoutMs?: number;
  /** Delay between attempts while NATS or PostgreSQL fails. */
  retryBackoff?: ExponentialBackoff;
  /** Deletes rows published more than this many days ago, hourly. Off when unset. */
  purgePublishedAfterDays?: number;
  /**
   * Failed publish attempts after which a row is quarantined (skipped from then on, so later events
   * still flow). Only attempts that failed while the stream answered count: an outage quarantines nothing.
   */
  maxPublishAttempts?: number;
}

export interface OutboxRelay {
  /** Stops claiming, finishes the batch in flight, closes the LISTEN connection. */
  stop(): Promise<void>;
  /** Resolves once this relay finds nothing left it can claim (rows locked by another relay excepted). */
  drained(): Promise<void>;
}

interface OutboxRow {
  id: string;
  subject: string;
  envelope: unknown;
}

interface BatchOutcome {
  claimed: number;
  published: number;
  failure?: unknown;
}

interface FailedRow {
  id: string;
  subject: string;
  attempts: number;
  quarantined: boolean;
}

export const DEFAULT_MAX_PUBLISH_ATTEMPTS = 10;

const purgeEveryMs = 60 * 60 * 1000;

/**
 * Moves committed outbox rows to the service's JetStream stream: at least once, never lost.
 * Rows are claimed with `FOR UPDATE SKIP LOCKED` (several relays may run), published with
 * `Nats-Msg-Id` = event id, and marked published in the claiming transaction only after their
 * PubAck. A crash between PubAck and commit re-publishes; JetStream's duplicate window drops it.
 */
export async function startOutboxRelay(options: OutboxRelayOptions): Promise<OutboxRelay> {
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const publishTimeoutMs = options.publishTimeoutMs ?? 5000;
  const retryBackoff = options.retryBackoff ?? { initialMs: 200, maxMs: 10_000 };
  const maxPublishAttempts = options.maxPublishAttempts ?? DEFAULT_MAX_PUBLISH_ATTEMPTS;
  if (maxPublishAttempts < 1) throw new Error('maxPublishAttempts must be at least 1.');
  const streamName = streamNameOf(options.service);
  const { orm, logger } = options;
  const js = options.nats.jetstream();
  const encoder = new TextEncoder();

  const [schemaRow] = await orm.em.fork().execute<{ schema: string }[]>('select current_schema() as schema');
  if (!schemaRow) throw new Error('Cannot read the current schema of the outbox.');
  const channel = outboxChannelOf(schemaRow.schema);
  const databaseUrl = options.databaseUrl ?? orm.config.get('clientUrl');
  if (!databaseUrl) throw new Error('The outbox relay needs a databaseUrl for its LISTEN connection.');

  let stopped = false;
  let wakePending = false;
  let wakeSleeper: (() => void) | undefined;
  let batchesStarted = 0;
  // A waiter is answered only by an empty batch that started after it asked, so a batch that
  // raced the caller's commit cannot report drained too early.
  let drainWaiters: { after: number; resolve: () => void }[] = [];
  const stopController = new AbortController();

  const wake = () => {
    wakePending = true;
    wakeSleeper?.();
  };

  // Sleeps until woken by NOTIFY, drained()/stop(), or the timeout; a wake-up that came while
  // a batch ran is not lost.
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      if (wakePending || stopped) {
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      wakeSleeper = done;
      function done() {
        clearTimeout(timer);
        wakeSleeper = undefined;
        resolve();
      }
    });

  const resolveDrainWaiters = (batchNumber: number) => {
    const ready = drainWaiters.filter((waiter) => waiter.after < batchNumber);
    drainWaiters = drainWaiters.filter((waiter) => waiter.after >= batchNumber);
    for (const waiter of ready) waiter.resolve();
  };

  async function relayBatch(): Promise<BatchOutcome> {
    return orm.em.fork().transactional(async (tx) => {
      const rows = await tx.execute<OutboxRow[]>(
        `select id, subject, envelope from outbox where published_at is null and quarantined_at is null
         order by created_at limit ? for update skip locked`,
        [batchSize],
      );
      if (rows.length === 0) return { claimed: 0, published: 0 };
      // Pipelined: all publishes go out on the one connection in order, then we await the PubAcks.
      const results = await Promise.allSettled(
        rows.map((row) =>
          js.publish(row.subject, encoder.encode(JSON.stringify(row.envelope)), {
            msgID: row.id,
            expect: { streamName },
            timeout: publishTimeoutMs,
          }),
        ),
      );
      const publishedIds = rows.filter((_, index) => results[index]?.status === 'fulfilled').map((row) => row.id);
      if (publishedIds.length > 0) {
        await tx.execute('update outbox set published_at = now() where id in (?)', [publishedIds]);
      }
      const failure = results.find((result) => result.status === 'rejected');
      if (failure && (await streamAnswers())) {
        // The stream is there and took other messages: these rows themselves are the problem.
        const failed = rows.flatMap((row, index) => {
          const result = results[index];
          return result?.status === 'rejected' ? [{ id: row.id, error: errorText(result.reason) }] : [];
        });
        await countFailedAttempts(tx, failed);
      }
      // Commit what was acknowledged; the failed rows stay unpublished for the next attempt.
      return { claimed: rows.length, published: publishedIds.length, failure: failure?.reason };
    });
  }

  let jsm: JetStreamManager | undefined;
  async function streamAnswers(): Promise<boolean> {
    try {
      jsm ??= await options.nats.jetstreamManager();
      await jsm.streams.info(streamName);
      return true;
    } catch {
      return false;
    }
  }

  async function countFailedAttempts(tx: EntityManager, failed: { id: string; error: string }[]): Promise<void> {
    const updated = await tx.execute<FailedRow[]>(
      `update outbox o set attempts = o.attempts + 1, last_error = f.error,
         quarantined_at = case when o.attempts + 1 >= ? then now() end
       from jsonb_to_recordset(?::jsonb) as f(id uuid, error text)
       where o.id = f.id
       returning o.id, o.subject, o.attempts, o.quarantined_at is not null as quarantined`,
      [maxPublishAttempts, JSON.stringify(failed)],
    );
    for (const row of updated.filter((candidate) => candidate.quarantined)) {
      logger.error(
        {
          streamName,
          eventId: row.id,
          subject: row.subject,
          attempts: row.attempts,
          err: failed.find((entry) => entry.id === row.id)?.error,
        },
        'outbox relay: event quarantined after repeated publish failures; it will not be published unless released',
      );
    }
  }

  let lastPurge = 0;
  async function purgeIfDue(): Promise<void> {
    if (options.purgePublishedAfterDays === undefined || Date.now() - lastPurge < purgeEveryMs) return;
    lastPurge = Date.now();
    const deleted = await orm.em
      .fork()
      .execute(
        `delete from outbox where published_at is not null and published_at < now() - (? * interval '1 day')`,
        [options.purgePublishedAfterDays],
        'run',
      );
    logger.debug({ deleted }, 'outbox: purged published rows');
  }

  async function relayLoop(): Promise<void> {
    let failures = 0;
    while (!stopped) {
      wakePending = false;
      const batchNumber = ++batchesStarted;
      try {
        const outcome = await relayBatch();
        if (outcome.failure !== undefined) throw outcome.failure;
        if (failures > 0) logger.info({ streamName }, 'outbox relay: publishing again');
        failures = 0;
        if (outcome.published > 0) logger.debug({ streamName, published: outcome.published }, 'outbox: published');
        if (outcome.claimed === batchSize) continue;
        if (outcome.claimed === 0) resolveDrainWaiters(batchNumber);
        await purgeIfDue();
        await idle(pollIntervalMs);
      } catch (error) {
        failures += 1;
        const delayMs = exponentialDelayMs(failures, retryBackoff);
        logger.warn({ streamName, failures, delayMs, err: errorText(error) }, 'outbox relay: attempt failed, retrying');
        await idle(delayMs);
      }
    }
  }

  // A dedicated connection: LISTEN holds it for the relay's lifetime, which a pool must not lend.
  let listenClient: Client | undefined;
  async function listenLoop(): Promise<void> {
    let failures = 0;
    while (!stopped) {
      const client = new Client({ connectionString: databaseUrl });
      listenClient = client;
      try {
        const ended = new Promise<unknown>((resolve) => {
          client.once('error', resolve);
          client.once('end', () => resolve(new Error('LISTEN connection ended')));
        });
        await client.connect();
        client.on('notification', wake);
        await client.query(`listen ${escapeIdentifier(channel)}`);
        failures = 0;
        // Notifications sent while we were not listening are gone: look once.
        wake();
        const reason = await ended;
        if (!stopped) throw reason;
      } catch (error) {
        if (stopped) break;
        failures += 1;
        logger.warn(
          { channel, failures, err: errorText(error) },
          'outbox relay: LISTEN connection lost, polling meanwhile',
        );
        await client.end().catch(() => undefined);
        await sleep(exponentialDelayMs(failures, retryBackoff), undefined, { signal: stopController.signal }).catch(
          () => undefined,
        );
      }
    }
  }

  const relayDone = relayLoop();
  const listenDone = listenLoop();
  logger.info({ streamName, channel }, 'outbox relay started');

  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      stopController.abort();
      wake();
      await relayDone;
      await listenClient?.end().catch(() => undefined);
      await listenDone;
      resolveDrainWaiters(Number.POSITIVE_INFINITY);
      logger.info({ streamName }, 'outbox relay stopped');
    },
    drained() {
      if (stopped) return Promise.resolve();
      const drained = new Promise<void>((resolve) => drainWaiters.push({ after: batchesStarted, resolve }));
      wake();
      return drained;
    },
  };
}

/** The outbox's backlog for the status action: rows waiting for the relay, and quarantined ones. */
export async function outboxStatusOf(em: EntityManager): Promise<OutboxStatus> {
  // Two counts, each matching a partial index, rather than one scan of every published row.
  const [row] = await em.execute<{ unpublished: string; quarantined: string }[]>(
    `select (select count(*) from outbox where published_at is null and quarantined_at is null) as unpublished,
            (select count(*) from outbox where quarantined_at is not null) as quarantined`,
  );
  return { unpublished: Number(row?.unpublished ?? 0), quarantined: Number(row?.quarantined ?? 0) };
}
