import type { EntityManager } from '@mikro-orm/postgresql';
import { eventContracts, type Actor, type EventData, type EventEnvelope, type EventType } from '@portal/contracts';
import { appendToOutbox, createEnvelope } from './outbox.ts';

export interface EventOrigin {
  actor: Actor;
  /** The request that caused the change, so an event can be traced back to it. */
  traceId?: string | null;
  accountId?: string | null;
}

/**
 * Records a published event in the outbox of the current transaction. The payload is checked
 * against the event's contract here, at the source, so consumers never see a drifted shape.
 */
export async function recordEvent<E extends EventType>(
  em: EntityManager,
  type: E,
  data: EventData<E>,
  origin: EventOrigin,
): Promise<EventEnvelope<EventData<E>>> {
  const contract = eventContracts[type];
  const envelope = createEnvelope({
    type,
    version: contract.version,
    data: contract.data.parse(data) as EventData<E>,
    actor: origin.actor,
    ...(origin.accountId ? { accountId: origin.accountId } : {}),
    ...(origin.traceId ? { traceId: origin.traceId } : {}),
  });
  await appendToOutbox(em, envelope);
  return envelope;
}
