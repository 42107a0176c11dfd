import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { eventEnvelopeSchema, type Actor, type EventEnvelope } from '@portal/contracts';

export interface NewEnvelope<TData> {
  type: string;
  version: number;
  data: TData;
  actor: Actor;
  accountId?: string;
  /** Defaults to a fresh id, so every event can be traced even when no request started it. */
  traceId?: string;
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
    traceId: input.traceId ?? randomUUID(),
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
  if (!em.isInTransaction()) {
    throw new Error('appendToOutbox needs the transactional EntityManager of the business change (em.transactional).');
  }
  const valid = eventEnvelopeSchema.parse(envelope);
  await em.execute('insert into outbox (id, type, subject, envelope) values (?, ?, ?, ?::jsonb)', [
    valid.id,
    valid.type,
    subjectOf(valid),
    JSON.stringify(valid),
  ]);
  // PostgreSQL folds identical notifications of one transaction into one, so a batch costs one wake-up.
  await em.execute(`select pg_notify(? || current_schema(), '')`, [outboxChannelOf('')]);
}
