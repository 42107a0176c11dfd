import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import type moleculer from 'moleculer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callerOf,
  contractAction,
  createBroker,
  defaultDurableSettings,
  natsConnectionOptionsOf,
  natsSettingsOf,
} from '@portal/kit';
import { devLoginToken, type DevLoginKey } from '@portal/deploy/local/dev-logins';
import { freePort, stackEnv } from '@portal/testing';
import { gatewayModule } from '../../src/gateway.module.ts';
import { gatewayStackEnv } from './support/gateway-node.ts';

/**
 * The gateway's HTTP surface beyond the contract routes: what other nodes on the bus may do to it,
 * methods and OPTIONS, and the public status. Real NATS, real Keycloak tokens; a stand-in
 * `directory` counts what reaches it.
 */

const namespace = `gws-${randomUUID().slice(0, 8)}`;
const accountId = randomUUID();
const statusCacheSeconds = 2;
const received: string[] = [];
let statusCalls = 0;

const standInDirectory: moleculer.ServiceSchema = {
  name: 'directory',
  actions: {
    status: contractAction('directory.status', (_params, ctx) => {
      statusCalls++;
      return {
        service: 'directory' as const,
        nodeID: ctx.broker.nodeID,
        version: '9.9.9',
        uptimeSeconds: 1,
        dependencies: {},
      };
    }),
    getSystemOptions: contractAction('directory.getSystemOptions', () => {
      received.push('getSystemOptions');
      return { requestLoginButton: false, selfRegistration: true, updatedAt: null };
    }),
    updateSystemOptions: contractAction('directory.updateSystemOptions', (_params, ctx) => {
      received.push(`updateSystemOptions by ${callerOf(ctx).actor.kind}`);
      return { requestLoginButton: true, selfRegistration: true, updatedAt: new Date().toISOString() };
    }),
  },
};

async function tokenOf(key: DevLoginKey): Promise<string> {
  const { status, accessToken } = await devLoginToken(stackEnv().KEYCLOAK_URL ?? '', key);
  expect(status, `login ${key}`).toBe(200);
  return accessToken ?? '';
}

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string; details?: unknown }; requestId: string };
  expect(body.requestId).toBe(response.headers.get('x-request-id'));
  return { status: response.status, allow: response.headers.get('allow'), ...body.error };
}

describe('gateway HTTP surface', () => {
  let nats: NatsConnection;
  let directory: moleculer.ServiceBroker;
  let gateway: moleculer.ServiceBroker;
  let intruder: moleculer.ServiceBroker;
  let base: string;
  let stopGatewayModule: () => Promise<void> = async () => {};
  const tokens = {} as Record<'admin' | 'viewer' | 'contact', string>;
  const bearer = (key: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[key]}` });

  const brokerOn = (nodeID: string) =>
    createBroker({
      nodeID: `${nodeID}-${randomUUID().slice(0, 6)}`,
      ...natsSettingsOf(stackEnv()),
      namespace,
      logLevel: 'warn',
    });

  beforeAll(async () => {
    nats = await connect(natsConnectionOptionsOf(stackEnv()));
    directory = brokerOn('directory-stand-in');
    directory.createService(standInDirectory);
    await directory.start();

    const port = await freePort();
    gateway = brokerOn('gateway');
    const env = gatewayModule.env.parse({
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: String(port),
      GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE: '1000',
      GATEWAY_STATUS_CACHE_SECONDS: String(statusCacheSeconds),
      KEYCLOAK_URL: stackEnv().KEYCLOAK_URL,
      GATEWAY_ALLOWED_CLIENTS: 'portal-gateway,portal-cli',
      ...gatewayStackEnv(port),
    });
    const instance = await gatewayModule.create({
      broker: gateway,
      env,
      nats,
      logger: gateway.getLogger('gateway'),
      durable: defaultDurableSettings,
    });
    stopGatewayModule = instance.stop;
    for (const schema of instance.schemas) gateway.createService(schema);
    await gateway.start();
    await gateway.waitForServices(['directory'], 10_000);
    base = `http://127.0.0.1:${port}/api/v1`;

    intruder = brokerOn('intruder');
    await intruder.start();
    await intruder.waitForServices(['gateway'], 10_000);

    tokens.admin = await tokenOf('staffAdmin');
    tokens.viewer = await tokenOf('staffViewer');
    tokens.contact = await tokenOf('customerContact');
  });

  afterAll(async () => {
    await intruder?.stop();
    await gateway?.stop();
    await stopGatewayModule();
    await directory?.stop();
    await nats?.close();
  });

  describe('over the bus', () => {
    it('refuses moleculer-web’s route actions to another node, and the route table stays as it was', async () => {
      const evilRoute = { path: '/api/v1/evil', aliases: { 'GET options': 'directory.getSystemOptions' } };
      await expect(intruder.call('gateway.addRoute', { route: evilRoute })).rejects.toMatchObject({
        name: 'ServiceNotFoundError',
      });
      await expect(intruder.call('gateway.removeRoute', { name: 'staff' })).rejects.toMatchObject({
        name: 'ServiceNotFoundError',
      });
      await expect(intruder.call('gateway.removeRoute', { path: '/api/v1' })).rejects.toMatchObject({
        name: 'ServiceNotFoundError',
      });
      await expect(intruder.call('gateway.listAliases', {})).rejects.toMatchObject({ name: 'ServiceNotFoundError' });
      await expect(intruder.call('gateway.rest', { req: {}, res: {} })).rejects.toMatchObject({
        name: 'ServiceNotFoundError',
      });

      expect((await fetch(`${base}/evil/options`)).status).toBe(404);
      expect((await fetch(`${base}/admin/system-options`, { headers: bearer('viewer') })).status).toBe(200);
      expect((await fetch(`${base}/openapi.json`)).status).toBe(200);
    });

    it('keeps gateway.status callable by other nodes', async () => {
      expect(await intruder.call('gateway.status', {})).toMatchObject({ service: 'gateway' });
    });
  });

  describe('methods', () => {
    it('answers a known public path with a wrong method 405, Allow and the error body', async () => {
      expect(await errorOf(await fetch(`${base}/status`, { method: 'DELETE' }))).toMatchObject({
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        allow: 'GET, OPTIONS',
      });
      expect(await errorOf(await fetch(`${base}/openapi.json`, { method: 'POST', body: '{}' }))).toMatchObject({
        status: 405,
        allow: 'GET, OPTIONS',
      });
      expect((await fetch(`${base}/asyncapi.json`, { method: 'HEAD' })).status).toBe(405);
    });

    it('answers a contract path with a wrong method 405, listing every method of the path', async () => {
      const response = await fetch(`${base}/admin/accounts/${accountId}`, {
        method: 'PUT',
        headers: { ...bearer('admin'), 'content-type': 'application/json' },
        body: '{}',
      });
      expect(await errorOf(response)).toMatchObject({
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        allow: 'DELETE, GET, PATCH, OPTIONS',
        details: { allow: ['DELETE', 'GET', 'PATCH', 'OPTIONS'] },
      });
      expect(
        (await errorOf(await fetch(`${base}/admin/accounts`, { method: 'DELETE', headers: bearer('viewer') }))).allow,
      ).toBe('GET, POST, OPTIONS');
    });

    it('authenticates admin paths before deciding 405, so strangers learn no more than from a 404', async () => {
      const wrongMethod = await fetch(`${base}/admin/accounts/${accountId}`, { method: 'PUT' });
      const unknownPath = await fetch(`${base}/admin/no-such-thing`, { method: 'PUT' });
      expect(await errorOf(wrongMethod)).toMatchObject({ status: 401, allow: null });
      expect(await errorOf(unknownPath)).toMatchObject({ status: 401 });
    });

    it('answers OPTIONS with 204 and Allow and never runs the action, whatever the preflight header asks', async () => {
      const options = await fetch(`${base}/admin/system-options`, {
        method: 'OPTIONS',
        headers: {
          ...bearer('admin'),
          'access-control-request-method': 'PUT',
          origin: 'https://evil.example',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ requestLoginButton: true }),
      });
      expect(options.status).toBe(204);
      expect(options.headers.get('allow')).toBe('GET, PUT, OPTIONS');
      expect(options.headers.get('access-control-allow-origin')).toBeNull();
      expect(await options.text()).toBe('');
      expect(received.filter((entry) => entry.startsWith('updateSystemOptions'))).toEqual([]);

      const before = statusCalls;
      const publicOptions = await fetch(`${base}/status`, {
        method: 'OPTIONS',
        headers: { 'access-control-request-method': 'GET' },
      });
      expect(publicOptions.status).toBe(204);
      expect(publicOptions.headers.get('allow')).toBe('GET, OPTIONS');
      expect(await publicOptions.text()).toBe('');
      expect(statusCalls).toBe(before);

      expect((await fetch(`${base}/admin/system-options`, { method: 'OPTIONS' })).status).toBe(401);
    });

    it('keeps unknown paths 404, whatever the method', async () => {
      expect(await errorOf(await fetch(`${base}/nothing`, { method: 'DELETE' }))).toMatchObject({ status: 404 });
      expect(await errorOf(await fetch(`${base}/nothing`, { method: 'OPTIONS' }))).toMatchObject({ status: 404 });
      expect(
        await errorOf(await fetch(`${base}/admin/nothing-here`, { method: 'PUT', headers: bearer('admin') })),
      ).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    });
  });

  describe('status', () => {
    it('tells the public only the verdict, and staff (any role) the details', async () => {
      const anonymous = await fetch(`${base}/status`);
      // Only a stand-in directory runs: the other services are unreachable.
      expect(anonymous.status).toBe(503);
      expect(await anonymous.json()).toEqual({ status: 'degraded' });

      const contact = await fetch(`${base}/status`, { headers: bearer('contact') });
      expect(contact.status).toBe(401);

      for (const key of ['viewer', 'admin'] as const) {
        const staff = await fetch(`${base}/status`, { headers: bearer(key) });
        expect(staff.status).toBe(503);
        const body = (await staff.json()) as {
          status: string;
          services: Record<string, { version?: string; state?: string }>;
        };
        expect(body.status).toBe('degraded');
        expect(body.services.directory).toMatchObject({ version: '9.9.9' });
        expect(body.services.submittals).toMatchObject({ state: 'unreachable' });
      }
    });

    it('asks the services once per cache period, however many callers there are', async () => {
      await new Promise((resolve) => setTimeout(resolve, statusCacheSeconds * 1000 + 100));
      const before = statusCalls;
      const answers = await Promise.all([
        ...Array.from({ length: 30 }, () => fetch(`${base}/status`)),
        ...Array.from({ length: 10 }, () => fetch(`${base}/status`, { headers: bearer('viewer') })),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 503));
      expect(statusCalls - before).toBe(1);

      await new Promise((resolve) => setTimeout(resolve, statusCacheSeconds * 1000 + 100));
      await fetch(`${base}/status`);
      expect(statusCalls - before).toBe(2);
    });
  });
});
