import { z } from 'zod';
import { postgresUrl } from '@portal/config';
import { defineServiceModule, openServiceStore } from '@portal/kit';
import { submittalsService } from './submittals.service.ts';
import { submittalsMigrations } from './migrations/index.ts';

export const submittalsModule = defineServiceModule({
  name: 'submittals',
  env: z.object({ SUBMITTALS_DATABASE_URL: postgresUrl }),
  async create({ env, nats, logger, durable }) {
    const store = await openServiceStore({
      service: 'submittals',
      databaseUrl: env.SUBMITTALS_DATABASE_URL,
      migrations: submittalsMigrations,
      nats,
      logger,
      durable,
    });
    return {
      schemas: [submittalsService(store.readiness, store.durableStatus)],
      readiness: store.readiness,
      stop: store.stop,
    };
  },
});
