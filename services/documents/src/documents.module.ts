import { z } from 'zod';
import { postgresUrl, url } from '@portal/config';
import { defineServiceModule, openServiceStore } from '@portal/kit';
import { ObjectStorage } from './adapters/object-storage.adapter.ts';
import { documentsService } from './documents.service.ts';
import { documentsMigrations } from './migrations/index.ts';

export const documentsModule = defineServiceModule({
  name: 'documents',
  env: z.object({
    DOCUMENTS_DATABASE_URL: postgresUrl,
    S3_ENDPOINT: url(['http', 'https']),
    S3_ACCESS_KEY: z.string().min(1),
    S3_SECRET_KEY: z.string().min(1),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_BUCKET: z.string().min(3).default('portal-documents'),
  }),
  async create({ env, nats, logger, durable }) {
    const storage = new ObjectStorage({
      endpoint: env.S3_ENDPOINT,
      accessKey: env.S3_ACCESS_KEY,
      secretKey: env.S3_SECRET_KEY,
      region: env.S3_REGION,
      bucket: env.S3_BUCKET,
    });
    await storage.ensureBucket();
    const store = await openServiceStore({
      service: 'documents',
      databaseUrl: env.DOCUMENTS_DATABASE_URL,
      migrations: documentsMigrations,
      nats,
      logger,
      durable,
    });
    const readiness = { ...store.readiness, s3: () => storage.checkAvailable() };
    return { schemas: [documentsService(readiness, store.durableStatus)], readiness, stop: store.stop };
  },
});
