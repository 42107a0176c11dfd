import { z } from 'zod';
import { postgresUrl, url } from '@portal/config';
import { defineServiceModule, openServiceStore } from '@portal/kit';
import { checkRealmAvailable, portalRealms } from './adapters/keycloak-realms.adapter.ts';
import { identityService } from './identity.service.ts';
import { identityMigrations } from './migrations/index.ts';
import { attemptLimitsEnv, attemptLimitsOf } from './self-service/attempt-limits.ts';
import { selfServiceOf } from './self-service/self-service.ts';

export const identityModule = defineServiceModule({
  name: 'identity',
  env: z
    .object({ IDENTITY_DATABASE_URL: postgresUrl, KEYCLOAK_URL: url(['http', 'https']) })
    .extend(attemptLimitsEnv.shape),
  async create({ env, nats, logger, durable }) {
    const store = await openServiceStore({
      service: 'identity',
      databaseUrl: env.IDENTITY_DATABASE_URL,
      migrations: identityMigrations,
      nats,
      logger,
      durable,
    });
    const readiness = {
      ...store.readiness,
      ...Object.fromEntries(
        portalRealms.map((realm) => [`keycloak.${realm}`, () => checkRealmAvailable(env.KEYCLOAK_URL, realm)]),
      ),
    };
    const selfService = selfServiceOf(store.orm, attemptLimitsOf(env));
    return {
      schemas: [identityService(readiness, store.durableStatus, selfService)],
      readiness,
      async stop() {
        await selfService.stop();
        await store.stop();
      },
    };
  },
});
