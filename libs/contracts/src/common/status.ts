import { z } from 'zod';
import { defineAction } from '../contract.ts';
import { serviceNameSchema } from '../services.ts';

export const dependencyStateSchema = z.enum(['up', 'down']);

const count = z.int().nonnegative();

/** A durable consumer's lag: messages not yet delivered, delivered but not acked, and given up on. */
export const consumerStatusSchema = z.object({
  name: z.string(),
  stream: z.string(),
  pending: count,
  ackPending: count,
  deadLettered: count,
});
export type ConsumerStatus = z.infer<typeof consumerStatusSchema>;

/** The outbox's backlog: rows waiting for the relay, and rows it gave up on (quarantined). */
export const outboxStatusSchema = z.object({
  unpublished: count,
  quarantined: count,
});
export type OutboxStatus = z.infer<typeof outboxStatusSchema>;

export const serviceStatusSchema = z.object({
  service: serviceNameSchema,
  nodeID: z.string(),
  version: z.string(),
  uptimeSeconds: z.number().nonnegative(),
  dependencies: z.record(z.string(), dependencyStateSchema),
  // Optional, so gateways and services of different releases still understand each other.
  outbox: outboxStatusSchema.optional(),
  consumers: z.array(consumerStatusSchema).optional(),
  /** Point-in-time figures of the process, e.g. the gateway's open bell streams (`bell.streams`). */
  gauges: z.record(z.string(), z.number()).optional(),
});
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;

/** Every service answers `<service>.status`; the gateway aggregates them for `/api/v1/status`. */
export const statusAction = defineAction({
  description: "The service's own view of its health and dependencies.",
  params: z.object({}).strict(),
  result: serviceStatusSchema,
});
