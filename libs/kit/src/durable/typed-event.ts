import type { EntityManager } from '@mikro-orm/postgresql';
import { eventContracts, type Actor, type EventData, type EventEnvelope, type EventType } from '@portal/contracts';
import { createEnvelope, insertIntoOutbox } from './outbox.ts';

export interface EventOrigin {
  actor: Actor;
  /** Ties the event to what caused it; defaults to a fresh id. */
  traceId?: string | null;
  accountId?: string | null;
  /** The request that caused the change (the gateway's request id). */
  requestId?: string | null;
  /** The client address of that request. */
  sourceAddress?: string | null;
}

/** One event of a batch: its type, its payload, and optionally its own account. */
export type NewEvent = {
  [E in EventType]: { type: E; data: EventData<E>; accountId?: string | null };
}[EventType];

/**
 * The envelope `recordEvent` writes: the payload checked against the event's contract here, at the
 * source, so consumers never see a drifted shape.
 */
export function createEventEnvelope<E extends EventType>(
  type: E,
  data: EventData<E>,
  origin: EventOrigin,
): EventEnvelope<EventData<E>> {
  const contract = eventContracts[type];
  return createEnvelope({
    type,
    version: contract.version,
    data: contract.data.parse(data) as EventData<E>,
    actor: origin.actor,
    ...(origin.accountId ? { accountId: origin.accountId } : {}),
    ...(origin.traceId ? { traceId: origin.traceId } : {}),
    ...(origin.requestId ? { requestId: origin.requestId } : {}),
    ...(origin.sourceAddress ? { sourceAddress: origin.sourceAddress } : {}),
  });
}

/** Records a published event in the outbox of the current transaction. */
export async function recordEvent<E extends EventType>(
  em: EntityManager,
  type: E,
  data: EventData<E>,
  origin: EventOrigin,
): Promise<EventEnvelope<EventData<E>>> {
  const envelope = createEventEnvelope(type, data, origin);
  await insertIntoOutbox(em, [envelope]);
  return envelope;
}

/**
 * Records many events of one origin in one multi-row insert (same checks as `recordEvent`); an
 * event's own `accountId` wins over the origin's.
 */
export async function recordEvents(
  em: EntityManager,
  events: readonly NewEvent[],
  origin: EventOrigin,
): Promise<EventEnvelope[]> {
  const envelopes = events.map((event) =>
    createEventEnvelope(event.type, event.data, {
      ...origin,
      ...(event.accountId === undefined ? {} : { accountId: event.accountId }),
    }),
  );
  await insertIntoOutbox(em, envelopes);
  return envelopes;
}
