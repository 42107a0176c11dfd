import { z } from 'zod';
import { postgresUrl, url } from '@portal/config';
import {
  defineServiceModule,
  ensureServiceStream,
  openServiceStore,
  storeMigrations,
  transactionalStoreOf,
  type TransactionalStore,
} from '@portal/kit';
import { createMailTransport, mailRelayCheck } from './adapters/smtp.adapter.ts';
import { bellActions } from './bell/bell.actions.ts';
import { bellConsumers } from './bell/bell.consumers.ts';
import { bellSignalsOf } from './bell/bell-signals.ts';
import { listNotificationsWrittenLately } from './bell/notifications.repository.ts';
import { accessRequestRejectedConsumer } from './email/access-request-rejected.consumer.ts';
import { loadEmailTemplates } from './email/email-templates.ts';
// e-mail for events, preferences, digests, unsubscribe, the e-mail log
import { sendDigests } from './email/email-digest.ts';
import { emailActions } from './email/email.actions.ts';
import { emailConsumers } from './email/email.consumers.ts';
import type { EmailDeliveryDeps } from './email/email-delivery.ts';
import { preferencesActions } from './preferences/preferences.actions.ts';
import { notificationsService } from './notifications.service.ts';
import { notificationsMigrations } from './migrations/index.ts';

export const notificationsModule = defineServiceModule({
  name: 'notifications',
  env: z.object({
    NOTIFICATIONS_DATABASE_URL: postgresUrl,
    SMTP_URL: url(['smtp', 'smtps']),
    NOTIFICATIONS_MAIL_FROM: z.string().trim().min(3).max(300).default('"Customer Portal" <no-reply@portal.invalid>'),
    PORTAL_PRODUCT_NAME: z.string().trim().min(1).max(100).default('Customer Portal'),
    // ---- e-mail for events, preferences, digests ----
    PORTAL_PUBLIC_URL: url(['http', 'https']).default('http://localhost:8080'),
    NOTIFICATIONS_UNSUBSCRIBE_SECRET: z
      .string()
      .min(32, 'at least 32 characters (e.g. `openssl rand -base64 48`): it signs the unsubscribe links'),
    NOTIFICATIONS_TEMPLATE_DIR: z.string().trim().min(1).optional(),
    NOTIFICATIONS_DIGEST_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .max(7 * 86_400_000)
      .default(86_400_000),
  }),
  migrations: storeMigrations(notificationsMigrations),
  async create({ env, nats, logger, durable, broker }) {
    const mail = createMailTransport(env.SMTP_URL);
    const templates = loadEmailTemplates(env.NOTIFICATIONS_TEMPLATE_DIR);
    const { render } = templates;
    const signals = bellSignalsOf(broker, logger);
    // The e-mail delivery writes `failed` rows through the store, which opens with the consumers.
    const openedStore: { current?: TransactionalStore } = {};
    const opened = () => {
      if (!openedStore.current) throw new Error('notifications: the store is not open yet');
      return openedStore.current;
    };
    const emailStore: TransactionalStore = { read: () => opened().read(), change: (work) => opened().change(work) };
    const delivery: EmailDeliveryDeps = {
      mail,
      render,
      settings: {
        from: env.NOTIFICATIONS_MAIL_FROM,
        productName: env.PORTAL_PRODUCT_NAME,
        publicUrl: env.PORTAL_PUBLIC_URL.replace(/\/+$/, ''),
        unsubscribeSecret: env.NOTIFICATIONS_UNSUBSCRIBE_SECRET,
      },
      store: emailStore,
    };
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
        // e-mail for events (preferences decide: now, the digest, or not)
        ...emailConsumers({ ...delivery, broker }),
      ],
    });
    openedStore.current = transactionalStoreOf(store.orm);
    // A process killed between a commit and its broadcast leaves open streams without that frame
    // until they reconnect, and with several events applied at once there can be a few. So what was
    // written just before this start is signalled again once a gateway is known: a gateway writes a
    // sequence a stream sent lately only once (its recently-sent set, 256 per stream).
    void broker
      .waitForServices('gateway', 60_000)
      .then(() => listNotificationsWrittenLately(store.orm.em.fork(), 60_000, 100))
      .then((recent) => signals.created(recent))
      .catch((error: unknown) =>
        logger.warn(
          { err: error },
          'notifications: re-signalling recent notifications failed (streams catch up on reconnect)',
        ),
      );
    const digestSweep = setInterval(() => {
      sendDigests(emailStore, delivery).catch((error: unknown) =>
        logger.warn({ err: error }, 'notifications: the digest sweep failed; held e-mails wait for the next one'),
      );
    }, env.NOTIFICATIONS_DIGEST_INTERVAL_MS);
    digestSweep.unref();
    const readiness = { ...store.readiness, smtp: mailRelayCheck(mail) };
    return {
      schemas: [
        notificationsService(readiness, store.durableStatus, {
          ...bellActions(transactionalStoreOf(store.orm), signals),
          // e-mail preferences, unsubscribe, the e-mail log and templates
          ...preferencesActions(emailStore, env.NOTIFICATIONS_UNSUBSCRIBE_SECRET),
          ...emailActions(emailStore, templates, delivery),
        }),
      ],
      readiness,
      async stop() {
        clearInterval(digestSweep);
        mail.close();
        await store.stop();
      },
    };
  },
});
