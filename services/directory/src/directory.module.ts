import { z } from 'zod';
import { postgresUrl } from '@portal/config';
import { defineServiceModule, openServiceStore, storeMigrations } from '@portal/kit';
import { documentsAccessAuditConsumer } from './audit/documents-events.consumer.ts';
import { identityEventsAuditConsumer, identitySelfServiceAuditConsumer } from './audit/identity-events.consumer.ts';
import { submittalsReturnCodesAuditConsumer } from './audit/submittals-events.consumer.ts';
import { directoryService } from './directory.service.ts';
import { importLimitsEnv, importLimitsOf } from './imports/import-limits.ts';
import { directoryMigrations } from './migrations/index.ts';

export const directoryModule = defineServiceModule({
  name: 'directory',
  env: z.object({ DIRECTORY_DATABASE_URL: postgresUrl }).extend(importLimitsEnv.shape),
  migrations: storeMigrations(directoryMigrations),
  async create({ env, nats, logger, durable }) {
    const store = await openServiceStore({
      service: 'directory',
      databaseUrl: env.DIRECTORY_DATABASE_URL,
      migrations: directoryMigrations,
      nats,
      logger,
      durable,
      consumers: [
        identityEventsAuditConsumer(),
        identitySelfServiceAuditConsumer(),
        documentsAccessAuditConsumer(),
        submittalsReturnCodesAuditConsumer(),
      ],
    });
    return {
      schemas: [
        directoryService({
          orm: store.orm,
          readiness: store.readiness,
          durableStatus: store.durableStatus,
          importLimits: importLimitsOf(env),
        }),
      ],
      readiness: store.readiness,
      stop: store.stop,
    };
  },
});
