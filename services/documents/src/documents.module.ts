import { z } from 'zod';
import { postgresUrl, url } from '@portal/config';
import { defineServiceModule, openServiceStore, storeMigrations } from '@portal/kit';
import { ClamdScanner } from './adapters/malware-scanner.adapter.ts';
import { ObjectStorage } from './adapters/object-storage.adapter.ts';
import { documentsService } from './documents.service.ts';
import { documentsMigrations } from './migrations/index.ts';
import { documentsStoreOf } from './persistence/documents-store.ts';
import { startDocumentsSweep } from './scanning/documents-sweep.ts';
import { VersionScanning } from './scanning/version-scanning.ts';

const origins = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .pipe(z.array(url(['http', 'https']).transform((value) => new URL(value).origin)));

export const documentsModule = defineServiceModule({
  name: 'documents',
  env: z.object({
    DOCUMENTS_DATABASE_URL: postgresUrl,
    S3_ENDPOINT: url(['http', 'https']),
    S3_PUBLIC_ENDPOINT: url(['http', 'https'])
      .optional()
      .describe('Where browsers reach the store; presigned URLs are signed for it. Defaults to S3_ENDPOINT.'),
    S3_ACCESS_KEY: z.string().min(1),
    S3_SECRET_KEY: z.string().min(1),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_BUCKET: z.string().min(3).default('portal-documents'),
    PORTAL_PUBLIC_URL: url(['http', 'https']).default('http://localhost:8080'),
    S3_CORS_ORIGINS: origins
      .optional()
      .describe('Origins whose pages upload and download directly; defaults to the origin of PORTAL_PUBLIC_URL.'),
    CLAMD_URL: z.string().regex(/^(tcp:\/\/[^/]+:\d+|unix:\/\/\/.+)$/, 'tcp://host:port or unix:///path/to/clamd.sock'),
    CLAMD_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
    DOCUMENTS_UPLOAD_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(30)
      .max(7 * 24 * 3600)
      .default(900),
    DOCUMENTS_DOWNLOAD_TTL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
    DOCUMENTS_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  }),
  migrations: storeMigrations(documentsMigrations),
  async create({ env, nats, logger, durable }) {
    const storage = new ObjectStorage({
      endpoint: env.S3_ENDPOINT,
      ...(env.S3_PUBLIC_ENDPOINT ? { publicEndpoint: env.S3_PUBLIC_ENDPOINT } : {}),
      accessKey: env.S3_ACCESS_KEY,
      secretKey: env.S3_SECRET_KEY,
      region: env.S3_REGION,
      bucket: env.S3_BUCKET,
    });
    await storage.ensureBucket();
    await storage.allowBrowserOrigins(env.S3_CORS_ORIGINS ?? [new URL(env.PORTAL_PUBLIC_URL).origin]);
    const scanner = new ClamdScanner({ url: env.CLAMD_URL, timeoutMs: env.CLAMD_TIMEOUT_MS });
    const serviceStore = await openServiceStore({
      service: 'documents',
      databaseUrl: env.DOCUMENTS_DATABASE_URL,
      migrations: documentsMigrations,
      nats,
      logger,
      durable,
    });
    const store = documentsStoreOf(serviceStore.orm);
    const scanning = new VersionScanning(store, storage, scanner, logger);
    const sweep = startDocumentsSweep({
      store,
      storage,
      scanning,
      logger,
      intervalMs: env.DOCUMENTS_SWEEP_INTERVAL_MS,
    });
    const readiness = {
      ...serviceStore.readiness,
      s3: () => storage.checkAvailable(),
      clamd: () => scanner.ping(),
    };
    const deps = {
      orm: serviceStore.orm,
      store,
      storage,
      scanning,
      settings: {
        uploadTtlSeconds: env.DOCUMENTS_UPLOAD_TTL_SECONDS,
        downloadTtlSeconds: env.DOCUMENTS_DOWNLOAD_TTL_SECONDS,
      },
    };
    return {
      schemas: [documentsService(deps, readiness, serviceStore.durableStatus)],
      readiness,
      stop: async () => {
        await sweep.stop();
        await serviceStore.stop();
      },
    };
  },
});
