import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import type moleculer from 'moleculer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contractAction,
  createBroker,
  natsConnectionOptionsOf,
  natsSettingsOf,
  openRevocationList,
  REVOCATION_BUCKET,
  type RevocationRealm,
} from '@portal/kit';
import { createTemporaryLogin, keycloakAdminOf, stackEnv, type TemporaryLogin } from '@portal/testing';
import { startGatewayNode, type GatewayNode } from './support/gateway-node.ts';

/**
 * DESIGN "Revocation" at the gateway: two replicas watch the revocation list; an entry written to
 * it makes both refuse the subject's already-issued tokens (staff and portal) within 2 s, while a
 * token issued after the revocation works. Logins of their own, so revoking them disturbs nothing.
 */

const namespace = `gw-revoke-${randomUUID().slice(0, 8)}`;
const entryTtlMs = 24 * 3_600_000;
const contactId = randomUUID();
const accountId = randomUUID();
let portalSubject = '';

const standInDirectory: moleculer.ServiceSchema = {
  name: 'directory',
  actions: {
    resolvePortalPrincipal: contractAction('directory.resolvePortalPrincipal', () => ({
      contactId,
      accountId,
      accessStatus: 'enabled' as const,
      accessEnabled: true,
    })),
    listPortalProjects: contractAction('directory.listPortalProjects', () => ({ items: [], nextCursor: null })),
    getSystemOptions: contractAction('directory.getSystemOptions', () => ({
      requestLoginButton: false,
      selfRegistration: false,
      updatedAt: null,
    })),
  },
};

describe('revocation at the gateway', () => {
  let nats: NatsConnection;
  let services: moleculer.ServiceBroker;
  const replicas: GatewayNode[] = [];
  const logins = {} as Record<RevocationRealm, TemporaryLogin>;
  const routeOf: Record<RevocationRealm, string> = { staff: '/admin/system-options', portal: '/portal/projects' };

  const statusesOf = (realm: RevocationRealm, token: string) =>
    Promise.all(
      replicas.map(async (replica) => {
        const response = await fetch(`${replica.base}${routeOf[realm]}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await response.body?.cancel();
        return response.status;
      }),
    );

  beforeAll(async () => {
    nats = await connect(natsConnectionOptionsOf(stackEnv()));
    services = createBroker({ nodeID: 'stand-in', ...natsSettingsOf(stackEnv()), namespace, logLevel: 'warn' });
    services.createService(standInDirectory);
    await services.start();
    for (let i = 0; i < 2; i++) replicas.push(await startGatewayNode({ namespace, nats, waitFor: ['directory'] }));
    const admin = keycloakAdminOf(stackEnv());
    logins.staff = await createTemporaryLogin(admin, 'staff', { roles: ['viewer'], usernamePrefix: 'revoke' });
    logins.portal = await createTemporaryLogin(admin, 'portal', { usernamePrefix: 'revoke' });
    portalSubject = logins.portal.subject;
  });

  afterAll(async () => {
    const kv = await nats?.jetstream().views.kv(REVOCATION_BUCKET);
    for (const login of Object.values(logins)) {
      await kv?.delete(`${login.realm}.${login.subject}`);
      await login.remove();
    }
    for (const replica of replicas) await replica.stop();
    await services?.stop();
    await nats?.close();
  });

  it('reports the revocation watcher in readiness', async () => {
    for (const replica of replicas) await expect(replica.readiness.revocations?.()).resolves.toBeUndefined();
  });

  it.each(['portal', 'staff'] as const)(
    'refuses an already-issued %s token on both replicas within 2 s of the entry, and accepts one issued after',
    async (realm) => {
      const login = logins[realm];
      expect(login.subject).toBeTruthy();
      if (realm === 'portal') expect(login.subject).toBe(portalSubject);
      const issued = await login.accessToken();
      expect(await statusesOf(realm, issued)).toEqual([200, 200]);

      const list = await openRevocationList(nats, { entryTtlMs });
      const revokedAt = Date.now();
      await list.revoke(realm, login.subject, new Date(revokedAt));
      let statuses: number[] = [];
      while (Date.now() - revokedAt < 5_000) {
        statuses = await statusesOf(realm, issued);
        if (statuses.every((status) => status === 401)) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const elapsedMs = Date.now() - revokedAt;
      expect(statuses).toEqual([401, 401]);
      expect(elapsedMs).toBeLessThan(2_000);

      // `iat` has whole seconds: a token from the next second on is after the revocation.
      const nextSecond = (Math.floor(revokedAt / 1000) + 1) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextSecond - Date.now() + 50)));
      expect(await statusesOf(realm, await login.accessToken())).toEqual([200, 200]);
      expect(await statusesOf(realm, issued)).toEqual([401, 401]);
    },
  );
});
