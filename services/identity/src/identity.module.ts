import { z } from 'zod';
import { brandingEnvSchema, postgresUrl, revocationEntryTtlHours, url } from '@portal/config';
import { defineServiceModule, openRevocationList, openServiceStore, storeMigrations } from '@portal/kit';
import { accessActions } from './access/access.actions.ts';
import { accessOperations, type AccessOperations } from './access/access-operations.ts';
import { mfaStateCache } from './access/mfa-state.cache.ts';
import { keycloakAdminClient } from './adapters/keycloak-admin.adapter.ts';
import { checkRealmAvailable, portalRealms, realmAttributesWriter } from './adapters/keycloak-realms.adapter.ts';
import { portalUsersOf } from './adapters/portal-users.adapter.ts';
import { staffUsersOf } from './adapters/staff-users.adapter.ts';
import { directoryEventConsumers } from './consumers/directory-events.consumers.ts';
import { identityService } from './identity.service.ts';
import { startInvitationSweeper } from './invitations/invitation.sweeper.ts';
import { loginLinksConsumer } from './login-links.consumer.ts';
import { identityMigrations } from './migrations/index.ts';
import { defaultMailFrom, longestAccessTokenSeconds, reconcileRealms } from './realms/realm-reconciler.ts';
import { attemptLimitsEnv, attemptLimitsOf } from './self-service/attempt-limits.ts';
import { selfServiceOf } from './self-service/self-service.ts';
import { staffRecipientsAction } from './staff/staff-recipients.ts';

const secret = z.string().min(1);
const seconds = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** The identity service's environment, validated once at start with every other module's. */
export const identityEnv = z
  .object({
    IDENTITY_DATABASE_URL: postgresUrl,
    KEYCLOAK_URL: url(['http', 'https']),
    // Realm reconciliation and the login links' realm attributes need realm-admin rights: the master realm's administrator.
    KEYCLOAK_ADMIN_USERNAME: secret,
    KEYCLOAK_ADMIN_PASSWORD: secret,
    // User operations run as each realm's `portal-identity` service account (user management only).
    KEYCLOAK_IDENTITY_CLIENT_SECRET: secret,
    // When set, the gateway client's secret is reconciled too; else it is left as it is.
    KEYCLOAK_GATEWAY_CLIENT_SECRET: secret.optional(),
    PORTAL_PUBLIC_URL: url(['http', 'https']).default('http://localhost:8080'),
    SMTP_URL: url(['smtp', 'smtps']).optional(),
    IDENTITY_MAIL_FROM: z.email().default(defaultMailFrom),
    IDENTITY_INVITATION_SWEEP_SECONDS: seconds(60),
    IDENTITY_MFA_STATE_CACHE_SECONDS: seconds(30),
    IDENTITY_STAFF_RECIPIENTS_CACHE_SECONDS: seconds(60),
    IDENTITY_RESET_LINK_LIFESPAN_HOURS: z.coerce.number().int().min(1).max(720).default(24),
    REVOCATION_ENTRY_TTL_HOURS: revocationEntryTtlHours,
    // The realms' display names and the e-mail subjects: the login page and e-mails name the product like the web UIs.
    PORTAL_PRODUCT_NAME: brandingEnvSchema.shape.PORTAL_PRODUCT_NAME,
  })
  .extend(attemptLimitsEnv.shape);

export const identityModule = defineServiceModule({
  name: 'identity',
  env: identityEnv,
  migrations: storeMigrations(identityMigrations),
  async create({ env, nats, logger, broker, durable }) {
    const publicUrl = env.PORTAL_PUBLIC_URL.replace(/\/+$/, '');
    const admin = { username: env.KEYCLOAK_ADMIN_USERNAME, password: env.KEYCLOAK_ADMIN_PASSWORD };
    await reconcileRealms({
      keycloakUrl: env.KEYCLOAK_URL,
      admin,
      vars: {
        KEYCLOAK_IDENTITY_CLIENT_SECRET: env.KEYCLOAK_IDENTITY_CLIENT_SECRET,
        KEYCLOAK_GATEWAY_CLIENT_SECRET: env.KEYCLOAK_GATEWAY_CLIENT_SECRET,
        PORTAL_PUBLIC_URL: env.PORTAL_PUBLIC_URL,
      },
      ...(env.SMTP_URL ? { smtp: { url: env.SMTP_URL, from: env.IDENTITY_MAIL_FROM } } : {}),
      productName: env.PORTAL_PRODUCT_NAME,
      log: (line) => logger.info(`keycloak reconciled: ${line}`),
      warn: (line) => logger.warn(`KEYCLOAK: ${line}`),
    });
    const ttlSeconds = env.REVOCATION_ENTRY_TTL_HOURS * 3600;
    const longestToken = longestAccessTokenSeconds();
    if (ttlSeconds <= longestToken) {
      throw new Error(
        `REVOCATION_ENTRY_TTL_HOURS (${env.REVOCATION_ENTRY_TTL_HOURS} h) must outlast the longest access token (${longestToken} s)`,
      );
    }
    const users = portalUsersOf(
      keycloakAdminClient(env.KEYCLOAK_URL, 'portal', {
        kind: 'service-account',
        realm: 'portal',
        clientId: 'portal-identity',
        clientSecret: env.KEYCLOAK_IDENTITY_CLIENT_SECRET,
      }),
    );
    const staffUsers = staffUsersOf(
      keycloakAdminClient(env.KEYCLOAK_URL, 'staff', {
        kind: 'service-account',
        realm: 'staff',
        clientId: 'portal-identity',
        clientSecret: env.KEYCLOAK_IDENTITY_CLIENT_SECRET,
      }),
    );
    const revocations = await openRevocationList(nats, { entryTtlMs: ttlSeconds * 1000 });
    const mfaState = mfaStateCache(users, env.IDENTITY_MFA_STATE_CACHE_SECONDS * 1000);
    // The consumers are declared with the store, the operations need it: they meet through this holder.
    const ready: { operations?: AccessOperations } = {};
    const store = await openServiceStore({
      service: 'identity',
      databaseUrl: env.IDENTITY_DATABASE_URL,
      migrations: identityMigrations,
      nats,
      logger,
      durable,
      consumers: [
        ...directoryEventConsumers({
          broker,
          operations: () => {
            if (!ready.operations) throw new Error('identity operations are not ready yet');
            return ready.operations;
          },
        }),
        loginLinksConsumer(realmAttributesWriter(env.KEYCLOAK_URL, admin), env.PORTAL_PUBLIC_URL),
      ],
    });
    const operations = accessOperations({
      orm: store.orm,
      users,
      revocations,
      settings: {
        redirectUri: `${publicUrl}/portal/`,
        linkClientId: 'portal-gateway',
        resetLinkLifespanSeconds: env.IDENTITY_RESET_LINK_LIFESPAN_HOURS * 3600,
      },
      forgetProfile: () => mfaState.clear(),
    });
    ready.operations = operations;
    const readiness = {
      ...store.readiness,
      ...Object.fromEntries(
        portalRealms.map((realm) => [`keycloak.${realm}`, () => checkRealmAvailable(env.KEYCLOAK_URL, realm)]),
      ),
    };
    const selfService = selfServiceOf(store.orm, attemptLimitsOf(env));
    const sweeper = startInvitationSweeper({
      orm: store.orm,
      broker,
      operations,
      intervalMs: env.IDENTITY_INVITATION_SWEEP_SECONDS * 1000,
      logger,
    });
    return {
      schemas: [
        identityService(readiness, store.durableStatus, selfService, {
          ...accessActions({ operations, orm: store.orm, users, mfaConfigured: mfaState }),
          ...staffRecipientsAction(staffUsers, env.IDENTITY_STAFF_RECIPIENTS_CACHE_SECONDS * 1000),
        }),
      ],
      readiness,
      async stop() {
        await sweeper.stop();
        await selfService.stop();
        await store.stop();
      },
    };
  },
});
