import { z } from 'zod';

/** Who caused a change: a staff user, a customer contact, or the system itself (jobs, consumers). */
export const actorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('staff'), userId: z.string().min(1) }),
  z.object({ kind: z.literal('contact'), contactId: z.string().min(1), userId: z.string().min(1) }),
  z.object({ kind: z.literal('system'), component: z.string().min(1) }),
]);
export type Actor = z.infer<typeof actorSchema>;

/** `<service>.<aggregate>.<past-tense>`, e.g. `directory.contact.created`. */
export const eventTypeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/, 'must be <service>.<aggregate>.<past-tense>');

/**
 * Every durable event travels in this envelope. `id` doubles as the JetStream `Nats-Msg-Id`
 * (publisher de-duplication) and as the consumer inbox key (idempotent apply).
 */
export const eventEnvelopeSchema = z.object({
  id: z.uuid(),
  type: eventTypeSchema,
  version: z.int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  actor: actorSchema,
  accountId: z.string().min(1).optional(),
  traceId: z.string().min(1),
  /** The request that caused the change (the gateway's request id), when one did. */
  requestId: z.string().min(1).optional(),
  /** The client address the request came from, when one did. */
  sourceAddress: z.string().min(1).optional(),
  /**
   * The W3C trace context of the span that wrote the event (when tracing was on), which the
   * consumer's span continues: `00-<trace id>-<span id>-<flags>`.
   */
  traceparent: z
    .string()
    .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/)
    .optional(),
  /** Vendor trace state travelling with `traceparent`. */
  tracestate: z.string().max(512).optional(),
  data: z.unknown(),
});

export type EventEnvelope<TData = unknown> = Omit<z.infer<typeof eventEnvelopeSchema>, 'data'> & {
  data: TData;
};
