import { z } from 'zod';
import { postgresUrl, url } from '@portal/config';
import { defineServiceModule, ensureServiceStream, openServiceStore, transactionalStoreOf } from '@portal/kit';
import { createMailTransport, mailRelayCheck } from './adapters/smtp.adapter.ts';
import { bellActions } from './bell/bell.actions.ts';
import { bellConsumers } from './bell/bell.consumers.ts';
import { bellSignalsOf } from './bell/bell-signals.ts';
import { accessRequestRejectedConsumer } from './email/access-request-rejected.consumer.ts';
import { loadEmailTemplates } from './email/email-templates.ts';
import { notificationsService } from './notifications.service.ts';
import { notificationsMigrations } from './migrations/index.ts';

export const notificationsModule = defineServiceModule({
  name: 'notifications',
  env: z.object({
    NOTIFICATIONS_DATABASE_URL: postgresUrl,
    SMTP_URL: url(['smtp', 'smtps']),
    NOTIFICATIONS_MAIL_FROM: z.string().trim().min(3).max(300).default('"Customer Portal" <no-reply@portal.invalid>'),
    PORTAL_PRODUCT_NAME: z.string().trim().min(1).max(100).default('Customer Portal'),
  }),
  async create({ env, nats, logger, durable, broker }) {
    const mail = createMailTransport(env.SMTP_URL);
    const render = loadEmailTemplates();
    const signals = bellSignalsOf(broker, logger);
    // The consumers read identity's stream: create it if notifications starts first (same settings as identity's).
    await ensureServiceStream(await nats.jetstreamManager(), 'identity', { maxAgeMs: durable.streamMaxAgeMs });
    const store = await openServiceStore({
      service: 'notifications',
      databaseUrl: env.NOTIFICATIONS_DATABASE_URL,
      migrations: notificationsMigrations,
      nats,
      logger,
      durable,
      consumers: [
        accessRequestRejectedConsumer({
          mail,
          render,
          settings: { from: env.NOTIFICATIONS_MAIL_FROM, productName: env.PORTAL_PRODUCT_NAME },
        }),
        ...bellConsumers({ broker, signals }),
      ],
    });
    const readiness = { ...store.readiness, smtp: mailRelayCheck(mail) };
    return {
      schemas: [
        notificationsService(readiness, store.durableStatus, bellActions(transactionalStoreOf(store.orm), signals)),
      ],
      readiness,
      async stop() {
        mail.close();
        await store.stop();
      },
    };
  },
});
