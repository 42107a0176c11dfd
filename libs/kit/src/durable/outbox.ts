import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { eventEnvelopeSchema, type Actor, type EventEnvelope } from '@portal/contracts';
import { envelopeTraceOf } from '../observability/tracing-events.ts';

export interface NewEnvelope<TData> {
  type: string;
  version: number;
  data: TData;
  actor: Actor;
  accountId?: string;
  /**
   * The current OpenTelemetry trace's id wins when tracing is on; otherwise this, or a fresh id, so
   * every event can be traced even when no request started it.
   */
  traceId?: string;
  /** The request that caused the change, when one did. */
  requestId?: string;
  /** The client address of that request. */
  sourceAddress?: string;
}

/** A complete, validated envelope with a fresh id (also its `Nats-Msg-Id` and inbox key). */
export function createEnvelope<TData>(input: NewEnvelope<TData>): EventEnvelope<TData> {
  const envelope = {
    id: randomUUID(),
    type: input.type,
    version: input.version,
    occurredAt: new Date().toISOString(),
    actor: input.actor,
    ...(input.accountId === undefined ? {} : { accountId: input.accountId }),
    ...envelopeTraceOf(() => input.traceId ?? randomUUID()),
    ...(input.requestId === undefined ? {} : { requestId: input.requestId }),
    ...(input.sourceAddress === undefined ? {} : { sourceAddress: input.sourceAddress }),
    data: input.data,
  };
  eventEnvelopeSchema.parse(envelope);
  return envelope;
}

/** The JetStream subject of an event is its type: `directory.contact.created`. */
export function subjectOf(envelope: Pick<EventEnvelope, 'type'>): string {
  return envelope.type;
}

/**
 * The NOTIFY channel the relay of `schema` listens on. Built in SQL from `current_schema()` on the
 * writing side, so callers need not know their schema.
 */
export function outboxChannelOf(schema: string): string {
  return `durable_outbox_${schema}`;
}

/**
 * Records an event in the outbox within the caller's transaction, so the event exists if and only
 * if the business change commits. The NOTIFY is transactional too: the relay wakes at commit.
 */
export async function appendToOutbox(em: EntityManager, envelope: EventEnvelope<unknown>): Promise<void> {
  await appendManyToOutbox(em, [envelope]);
}

/**
 * Records a batch of events like `appendToOutbox`, in one multi-row insert and one NOTIFY however
 * many there are (a contact import writes thousands per transaction). Every envelope is validated
 * before anything is written.
 */
export async function appendManyToOutbox(
  em: EntityManager,
  envelopes: readonly EventEnvelope<unknown>[],
): Promise<void> {
  await insertIntoOutbox(
    em,
    envelopes.map((envelope) => eventEnvelopeSchema.parse(envelope)),
  );
}

/**
 * The outbox insert for envelopes already validated (built by `createEnvelope`, which parses what
 * it builds): `recordEvent(s)` skip a second parse per event, which shows in a 100k-row import.
 * @internal
 */
export async function insertIntoOutbox(em: EntityManager, envelopes: readonly EventEnvelope<unknown>[]): Promise<void> {
  if (!em.isInTransaction()) {
    throw new Error('appendToOutbox needs the transactional EntityManager of the business change (em.transactional).');
  }
  if (envelopes.length === 0) return;
  const rows = envelopes.map((envelope) => ({
    id: envelope.id,
    type: envelope.type,
    subject: subjectOf(envelope),
    envelope,
  }));
  // One jsonb parameter expanded in SQL: em.execute inlines `?` values, so arrays cannot be bound as arrays.
  await em.execute(
    `insert into outbox (id, type, subject, envelope)
     select e.id, e.type, e.subject, e.envelope
     from jsonb_to_recordset(?::jsonb) as e(id uuid, type text, subject text, envelope jsonb)`,
    [JSON.stringify(rows)],
  );
  // PostgreSQL folds identical notifications of one transaction into one, so a batch costs one wake-up.
  await em.execute(`select pg_notify(? || current_schema(), '')`, [outboxChannelOf('')]);
}
