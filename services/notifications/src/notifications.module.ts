import { z } from 'zod';
import { postgresUrl, url } from '@portal/config';
import { defineServiceModule, openServiceStore } from '@portal/kit';
import { createMailTransport, mailRelayCheck } from './adapters/smtp.adapter.ts';
import { notificationsService } from './notifications.service.ts';
import { notificationsMigrations } from './migrations/index.ts';

export const notificationsModule = defineServiceModule({
  name: 'notifications',
  env: z.object({
    NOTIFICATIONS_DATABASE_URL: postgresUrl,
    SMTP_URL: url(['smtp', 'smtps']),
  }),
  async create({ env, nats, logger, durable }) {
    const mail = createMailTransport(env.SMTP_URL);
    const store = await openServiceStore({
      service: 'notifications',
      databaseUrl: env.NOTIFICATIONS_DATABASE_URL,
      migrations: notificationsMigrations,
      nats,
      logger,
      durable,
    });
    const readiness = { ...store.readiness, smtp: mailRelayCheck(mail) };
    return {
      schemas: [notificationsService(readiness, store.durableStatus)],
      readiness,
      async stop() {
        mail.close();
        await store.stop();
      },
    };
  },
});
