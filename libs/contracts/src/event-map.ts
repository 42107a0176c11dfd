import type { z } from 'zod';
import type { EventContract } from './contract.ts';
import { directoryEvents } from './directory/events.ts';
import { documentsEvents } from './documents/events.ts';
import { identityEvents } from './identity/events.ts';
import { submittalsEvents } from './submittals/events.ts';

/**
 * Every durable event, by type (`<service>.<aggregate>.<past-tense>`). Emitters and consumers
 * type their payloads from here; the gateway builds the AsyncAPI document from the same map
 * (services/gateway/src/asyncapi/asyncapi.builder.ts, served at `/api/v1/asyncapi.json`).
 * The services add their events here as they gain aggregates.
 */
export const eventContracts = {
  ...directoryEvents,
  ...identityEvents,
  ...documentsEvents,
  ...submittalsEvents,
} as const satisfies Record<string, EventContract>;

export type EventMap = typeof eventContracts;
export type EventType = keyof EventMap;
export type EventData<E extends EventType> = z.output<EventMap[E]['data']>;
