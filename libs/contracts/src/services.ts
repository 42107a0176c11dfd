import { z } from 'zod';

/** The six Moleculer services; each owns a PostgreSQL schema, a JetStream stream and an event prefix. */
export const serviceNames = ['gateway', 'identity', 'directory', 'documents', 'submittals', 'notifications'] as const;

export const serviceNameSchema = z.enum(serviceNames);
export type ServiceName = z.infer<typeof serviceNameSchema>;
