import { z } from 'zod';
import { defineAction } from '../contract.ts';
import { serviceNameSchema } from '../services.ts';

export const dependencyStateSchema = z.enum(['up', 'down']);

export const serviceStatusSchema = z.object({
  service: serviceNameSchema,
  nodeID: z.string(),
  version: z.string(),
  uptimeSeconds: z.number().nonnegative(),
  dependencies: z.record(z.string(), dependencyStateSchema),
});
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;

/** Every service answers `<service>.status`; the gateway aggregates them for `/api/v1/status`. */
export const statusAction = defineAction({
  description: "The service's own view of its health and dependencies.",
  params: z.object({}).strict(),
  result: serviceStatusSchema,
});
