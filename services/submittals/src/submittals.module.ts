import { z } from 'zod';
import { postgresUrl } from '@portal/config';
import { defineServiceModule, openServiceStore, storeMigrations } from '@portal/kit';
import { submittalsMigrations } from './migrations/index.ts';
import { startOverdueSweep } from './overdue/overdue-sweep.ts';
import { submittalsStoreOf } from './persistence/submittals-store.ts';
import { submittalsService } from './submittals.service.ts';

export const submittalsModule = defineServiceModule({
  name: 'submittals',
  env: z.object({
    SUBMITTALS_DATABASE_URL: postgresUrl,
    SUBMITTALS_NUMBER_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9._/-]{0,10}$/, 'up to 10 letters, digits, ".", "_", "/" or "-"')
      .default('T-')
      .describe('Transmittal numbers are this prefix and the per-project sequence: T-0001.'),
    SUBMITTALS_SWEEP_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(100)
      .default(60_000)
      .describe('How often sent submittals past their expected-return date are reported overdue.'),
  }),
  migrations: storeMigrations(submittalsMigrations),
  async create({ env, nats, logger, durable }) {
    const serviceStore = await openServiceStore({
      service: 'submittals',
      databaseUrl: env.SUBMITTALS_DATABASE_URL,
      migrations: submittalsMigrations,
      nats,
      logger,
      durable,
    });
    const store = submittalsStoreOf(serviceStore.orm);
    const sweep = startOverdueSweep({ store, logger, intervalMs: env.SUBMITTALS_SWEEP_INTERVAL_MS });
    return {
      schemas: [
        submittalsService(
          { store, numberPrefix: env.SUBMITTALS_NUMBER_PREFIX },
          serviceStore.readiness,
          serviceStore.durableStatus,
        ),
      ],
      readiness: serviceStore.readiness,
      stop: async () => {
        await sweep.stop();
        await serviceStore.stop();
      },
    };
  },
});
