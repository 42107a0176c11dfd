import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import type moleculer from 'moleculer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryErrors, portalPrincipalsChangedEvent, type ActionResult } from '@portal/contracts';
import {
  type CallerMeta,
  callerOf,
  contractAction,
  createBroker,
  errorFactoryOf,
  natsConnectionOptionsOf,
  natsSettingsOf,
} from '@portal/kit';
import { devAccessToken, type DevLoginKey } from '@portal/deploy/local/dev-logins';
import { stackEnv } from '@portal/testing';
import { startGatewayNode, type GatewayNode } from './support/gateway-node.ts';

/**
 * The portal and public routes of the gateway in front of stand-in `directory` and `identity`
 * services, with real Keycloak tokens of both realms: realm separation, the contact as principal
 * (from the token only), access that is not enabled, the principal cache and its invalidation by
 * the directory's broadcast, rate limits, and the public forms without a token.
 */

const namespace = `gw-portal-${randomUUID().slice(0, 8)}`;
const contactId = randomUUID();
const accountId = randomUUID();

type Principal = ActionResult<'directory.resolvePortalPrincipal'>;
/** What the stand-in directory answers for a login (undefined: no contact linked). */
const principals = new Map<string, Principal>();
let principalLookups = 0;
const received: { action: string; params: unknown; caller: CallerMeta }[] = [];

const standInDirectory: moleculer.ServiceSchema = {
  name: 'directory',
  actions: {
    resolvePortalPrincipal: contractAction('directory.resolvePortalPrincipal', ({ identityUserId }) => {
      principalLookups++;
      const principal = principals.get(identityUserId);
      if (!principal) throw errorFactoryOf(directoryErrors)('CONTACT_NOT_FOUND');
      return principal;
    }),
    listPortalProjects: contractAction('directory.listPortalProjects', (params, ctx) => {
      received.push({ action: 'listPortalProjects', params, caller: callerOf(ctx) });
      return { items: [], nextCursor: null };
    }),
    getSystemOptions: contractAction('directory.getSystemOptions', () => ({
      requestLoginButton: false,
      selfRegistration: false,
      updatedAt: null,
    })),
  },
};

const standInIdentity: moleculer.ServiceSchema = {
  name: 'identity',
  actions: {
    requestAccess: contractAction('identity.requestAccess', (params, ctx) => {
      received.push({ action: 'requestAccess', params, caller: callerOf(ctx) });
      return { received: true as const, message: 'Thank you.' };
    }),
  },
};

/** A broadcast reaches the nodes its sender has discovered: wait until `broker` knows `nodeID`. */
async function untilKnown(broker: moleculer.ServiceBroker, nodeID: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!broker.registry.nodes.get(nodeID)?.available) {
    if (Date.now() > deadline) throw new Error(`${broker.nodeID} does not see ${nodeID}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const subjectOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub: string }).sub;

describe('gateway portal and public routes', () => {
  let nats: NatsConnection;
  let services: moleculer.ServiceBroker;
  let gateway: GatewayNode;
  const tokens = {} as Record<DevLoginKey, string>;
  let contactSubject = '';

  const get = (path: string, token?: string, node: GatewayNode = gateway) =>
    fetch(`${node.base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const errorOf = async (response: Response) =>
    ({ status: response.status, ...((await response.json()) as { error: { code: string } }).error }) as {
      status: number;
      code: string;
      details?: unknown;
    };

  beforeAll(async () => {
    nats = await connect(natsConnectionOptionsOf(stackEnv()));
    services = createBroker({ nodeID: 'stand-ins', ...natsSettingsOf(stackEnv()), namespace, logLevel: 'warn' });
    services.createService(standInDirectory);
    services.createService(standInIdentity);
    await services.start();
    gateway = await startGatewayNode({ namespace, nats, waitFor: ['directory', 'identity'] });
    for (const key of ['customerContact', 'staffAdmin'] as const) {
      tokens[key] = await devAccessToken(stackEnv().KEYCLOAK_URL ?? '', key);
    }
    contactSubject = subjectOf(tokens.customerContact);
    principals.set(contactSubject, { contactId, accountId, accessStatus: 'enabled', accessEnabled: true });
  });

  afterAll(async () => {
    await gateway?.stop();
    await services?.stop();
    await nats?.close();
  });

  it('serves a contact its portal route, with the contact from the token as the actor and no id from the client', async () => {
    const otherAccount = randomUUID();
    const response = await get(
      `/portal/projects?limit=5&accountId=${otherAccount}&contactId=${randomUUID()}`,
      tokens.customerContact,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ items: [], nextCursor: null });
    const call = received.filter((entry) => entry.action === 'listPortalProjects').at(-1);
    expect(call?.caller.actor).toEqual({ kind: 'contact', contactId, userId: contactSubject });
    // `accountId` is a filter the directory checks against the contact's reach; `contactId` is no param at all.
    expect(call?.params).toEqual({ limit: 5, accountId: otherAccount });
  });

  it('keeps the realms apart: a staff token never opens a portal route, a portal token never a staff route', async () => {
    const staffOnPortal = await get('/portal/projects', tokens.staffAdmin);
    expect(await errorOf(staffOnPortal)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(staffOnPortal.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    const portalOnStaff = await get('/admin/system-options', tokens.customerContact);
    expect(await errorOf(portalOnStaff)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    // And each works on its own route.
    expect((await get('/admin/system-options', tokens.staffAdmin)).status).toBe(200);
  });

  it('answers strangers 401 before telling them which portal paths exist; signed in, an unknown path is 404', async () => {
    expect((await get('/portal/projects')).status).toBe(401);
    expect((await get('/portal/nothing-here')).status).toBe(401);
    expect(await errorOf(await get('/portal/nothing-here', tokens.customerContact))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
    const wrongMethod = await fetch(`${gateway.base}/portal/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.customerContact}` },
    });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, OPTIONS');
  });

  it('refuses a login whose contact has no enabled access, or that no contact is linked to, with the same 403', async () => {
    const disabled = await startGatewayNode({ namespace, nats, env: { GATEWAY_PRINCIPAL_CACHE_SECONDS: '0' } });
    try {
      principals.set(contactSubject, { contactId, accountId, accessStatus: 'disabled', accessEnabled: false });
      const refused = await errorOf(await get('/portal/projects', tokens.customerContact, disabled));
      principals.delete(contactSubject);
      const unlinked = await errorOf(await get('/portal/projects', tokens.customerContact, disabled));
      expect(refused).toEqual({
        status: 403,
        code: 'PORTAL_ACCESS_DISABLED',
        message: 'This login has no enabled portal access; ask your supplier to enable it.',
      });
      expect(unlinked).toEqual(refused);
      // `enabled` on a contact whose account is archived is not enough: the rule's gate decides.
      principals.set(contactSubject, { contactId, accountId, accessStatus: 'enabled', accessEnabled: false });
      expect((await get('/portal/projects', tokens.customerContact, disabled)).status).toBe(403);
    } finally {
      principals.set(contactSubject, { contactId, accountId, accessStatus: 'enabled', accessEnabled: true });
      await disabled.stop();
    }
  });

  it('asks the directory once per cache period, and again as soon as the directory broadcasts a change', async () => {
    const cached = await startGatewayNode({ namespace, nats, env: { GATEWAY_PRINCIPAL_CACHE_SECONDS: '300' } });
    try {
      await untilKnown(services, cached.broker.nodeID);
      const before = principalLookups;
      for (let i = 0; i < 5; i++)
        expect((await get('/portal/projects', tokens.customerContact, cached)).status).toBe(200);
      expect(principalLookups - before).toBe(1);

      principals.set(contactSubject, { contactId, accountId, accessStatus: 'disabled', accessEnabled: false });
      // Still cached: nothing told the gateway yet.
      expect((await get('/portal/projects', tokens.customerContact, cached)).status).toBe(200);
      await services.broadcast(portalPrincipalsChangedEvent, { contactIds: [contactId] });
      const deadline = Date.now() + 2_000;
      let status = 200;
      while (status === 200 && Date.now() < deadline) {
        status = (await get('/portal/projects', tokens.customerContact, cached)).status;
        if (status === 200) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(status).toBe(403);
      // A broadcast about other contacts leaves this one cached.
      principals.set(contactSubject, { contactId, accountId, accessStatus: 'enabled', accessEnabled: true });
      await services.broadcast(portalPrincipalsChangedEvent, { contactIds: [randomUUID()], identityUserIds: ['x'] });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await get('/portal/projects', tokens.customerContact, cached)).status).toBe(403);
      await services.broadcast(portalPrincipalsChangedEvent, { identityUserIds: [contactSubject] });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await get('/portal/projects', tokens.customerContact, cached)).status).toBe(200);
    } finally {
      principals.set(contactSubject, { contactId, accountId, accessStatus: 'enabled', accessEnabled: true });
      await cached.stop();
    }
  });

  it('limits each contact per minute, and refuses tokens of clients not on the allowed list', async () => {
    const limited = await startGatewayNode({
      namespace,
      nats,
      env: { GATEWAY_RATE_LIMIT_PER_MINUTE: '3', GATEWAY_ALLOWED_CLIENTS: 'portal-gateway' },
    });
    try {
      // `portal-cli` (the dev seed's client) is not allowed on this replica.
      expect(await errorOf(await get('/portal/projects', tokens.customerContact, limited))).toMatchObject({
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    } finally {
      await limited.stop();
    }
    const strict = await startGatewayNode({ namespace, nats, env: { GATEWAY_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      for (let i = 0; i < 3; i++)
        expect((await get('/portal/projects', tokens.customerContact, strict)).status).toBe(200);
      const refused = await get('/portal/projects', tokens.customerContact, strict);
      expect(await errorOf(refused)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await strict.stop();
    }
  });

  it('serves the public forms without a token, as the public API, limited per client address', async () => {
    const form = { name: 'Pat Doe', email: 'pat@example.test', company: 'Example GmbH' };
    const post = (node: GatewayNode) =>
      fetch(`${node.base}/public/access-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(form),
      });
    const accepted = await post(gateway);
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toEqual({ received: true, message: 'Thank you.' });
    const call = received.filter((entry) => entry.action === 'requestAccess').at(-1);
    expect(call?.caller.actor).toEqual({ kind: 'system', component: 'gateway.public' });
    expect(call?.caller.sourceIp).toBe('127.0.0.1');
    expect(call?.params).toEqual(form);

    const strict = await startGatewayNode({ namespace, nats, env: { GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      expect((await post(strict)).status).toBe(202);
      expect((await post(strict)).status).toBe(202);
      const refused = await post(strict);
      expect(await errorOf(refused)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await strict.stop();
    }
  });
});
