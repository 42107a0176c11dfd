import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { connect, type NatsConnection } from 'nats';
import type moleculer from 'moleculer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryErrors } from '@portal/contracts';
import {
  type CallerMeta,
  callerOf,
  contractAction,
  createBroker,
  errorFactoryOf,
  natsConnectionOptionsOf,
  natsSettingsOf,
} from '@portal/kit';
import { stackEnv } from '@portal/testing';
import { devAccessToken, type DevLoginKey } from '@portal/deploy/local/dev-logins';
import { startGatewayNode, type GatewayNode } from './support/gateway-node.ts';

/**
 * The gateway's own behaviour (auth, permissions, params, errors, CSV streaming, rate limits) in
 * front of a stand-in `directory` that answers a few real contract actions with fixed data and
 * records what reached it. Tokens are real, from the running Keycloak.
 */

const namespace = `gw-${randomUUID().slice(0, 8)}`;
const missingAccountId = '00000000-0000-4000-8000-00000000dead';
const brokenAccountId = '00000000-0000-4000-8000-00000000b00c';
const now = new Date().toISOString();

interface Received {
  action: string;
  params: unknown;
  caller: CallerMeta;
}
const received: Received[] = [];
const lastCall = (action: string) => received.filter((entry) => entry.action === action).at(-1);

const account = (params: { number: string; name: string; kind: 'customer' | 'consolidated' }) => ({
  id: randomUUID(),
  number: params.number,
  name: params.name,
  kind: params.kind,
  classId: null,
  consolidatedAccountId: null,
  archivedAt: null,
  createdAt: now,
  updatedAt: now,
});

const standInDirectory: moleculer.ServiceSchema = {
  name: 'directory',
  actions: {
    getSystemOptions: contractAction('directory.getSystemOptions', (params, ctx) => {
      received.push({ action: 'getSystemOptions', params, caller: callerOf(ctx) });
      return { requestLoginButton: false, selfRegistration: true, updatedAt: null };
    }),
    updateSystemOptions: contractAction('directory.updateSystemOptions', (params, ctx) => {
      received.push({ action: 'updateSystemOptions', params, caller: callerOf(ctx) });
      return { requestLoginButton: params.requestLoginButton ?? false, selfRegistration: false, updatedAt: now };
    }),
    createAccount: contractAction('directory.createAccount', (params, ctx) => {
      received.push({ action: 'createAccount', params, caller: callerOf(ctx) });
      return account(params);
    }),
    getAccount: contractAction('directory.getAccount', (params) => {
      if (params.accountId === missingAccountId) throw errorFactoryOf(directoryErrors)('ACCOUNT_NOT_FOUND');
      if (params.accountId === brokenAccountId) throw new Error('connect ECONNREFUSED postgres://directory:s3cret@db');
      return { ...account({ number: 'A-1', name: 'Acme', kind: 'customer' }), id: params.accountId };
    }),
    listProjects: contractAction('directory.listProjects', (params, ctx) => {
      received.push({ action: 'listProjects', params, caller: callerOf(ctx) });
      return { items: [], nextCursor: null };
    }),
    exportContacts: contractAction('directory.exportContacts', (params, ctx) => {
      received.push({ action: 'exportContacts', params, caller: callerOf(ctx) });
      const rows = ['account_number,site_code,first_name,last_name,email,phone,title\n'];
      for (let i = 0; i < 2_000; i++) rows.push(`A-1,,Ann${i},Lee,ann${i}@example.test,,\n`);
      return Readable.from(rows);
    }),
    startContactImport: {
      async handler(ctx: moleculer.Context) {
        let bytes = 0;
        let lines = 0;
        for await (const chunk of ctx.stream as unknown as AsyncIterable<Buffer>) {
          bytes += chunk.length;
          for (const byte of chunk) if (byte === 0x0a) lines++;
        }
        received.push({ action: 'startContactImport', params: { bytes, lines }, caller: callerOf(ctx) });
        return {
          id: randomUUID(),
          status: 'running',
          totalRows: lines - 1,
          processedRows: 0,
          created: 0,
          updated: 0,
          unchanged: 0,
          rejected: 0,
          errors: [],
          failure: null,
          startedAt: now,
          finishedAt: null,
        };
      },
    },
  },
};

const tokens = {} as Record<DevLoginKey, { accessToken: string; subject: string }>;

async function login(key: DevLoginKey) {
  const accessToken = await devAccessToken(stackEnv().KEYCLOAK_URL ?? '', key);
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()) as { sub: string };
  tokens[key] = { accessToken, subject: payload.sub };
}

type RunningGateway = GatewayNode;

const startGateway = (nats: NatsConnection, env: Record<string, string>) =>
  startGatewayNode({ namespace, nats, env, waitFor: ['directory'] });

const bearer = (key: DevLoginKey) => ({ authorization: `Bearer ${tokens[key].accessToken}` });
const json = { 'content-type': 'application/json' };

async function errorOf(response: Response) {
  const body = (await response.json()) as {
    error: { code: string; message: string; details?: unknown };
    requestId: string;
  };
  expect(body.requestId).toBe(response.headers.get('x-request-id'));
  return { status: response.status, ...body.error };
}

describe('gateway staff API', () => {
  let nats: NatsConnection;
  let directoryBroker: moleculer.ServiceBroker;
  let gateway: RunningGateway;
  let base: string;

  beforeAll(async () => {
    nats = await connect(natsConnectionOptionsOf(stackEnv()));
    directoryBroker = createBroker({
      nodeID: `directory-stand-in-${randomUUID().slice(0, 6)}`,
      ...natsSettingsOf(stackEnv()),
      namespace,
      logLevel: 'warn',
    });
    directoryBroker.createService(standInDirectory);
    await directoryBroker.start();
    gateway = await startGateway(nats, { GATEWAY_BODY_LIMIT: '16kb', GATEWAY_CSV_BODY_LIMIT: '256kb' });
    base = gateway.base;
    for (const key of ['staffAdmin', 'staffManager', 'staffViewer', 'customerContact'] as const) await login(key);
  });

  afterAll(async () => {
    await gateway?.stop();
    await directoryBroker?.stop();
    await nats?.close();
  });

  describe('authentication', () => {
    it('refuses a request without a token with 401 and a Bearer challenge', async () => {
      const response = await fetch(`${base}/admin/system-options`);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await errorOf(response)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    });

    it('refuses a portal contact’s token: it is not from the staff realm', async () => {
      const response = await fetch(`${base}/admin/system-options`, { headers: bearer('customerContact') });
      expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(await errorOf(response)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    });

    it('refuses a tampered token (viewer promoting itself to admin)', async () => {
      const [header, payload, signature] = tokens.staffViewer.accessToken.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const forged = Buffer.from(JSON.stringify({ ...claims, realm_access: { roles: ['portal-admin'] } })).toString(
        'base64url',
      );
      const response = await fetch(`${base}/admin/system-options`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${header}.${forged}.${signature}`, ...json },
        body: JSON.stringify({ selfRegistration: false }),
      });
      expect(await errorOf(response)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      expect(lastCall('updateSystemOptions')).toBeUndefined();
    });

    it('keeps status and the OpenAPI document public', async () => {
      const openapi = await fetch(`${base}/openapi.json`);
      expect(openapi.status).toBe(200);
      expect(openapi.headers.get('x-content-type-options')).toBe('nosniff');
      const document = (await openapi.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
      expect(document.openapi).toBe('3.1.0');
      expect(Object.keys(document.paths['/admin/accounts'] ?? {}).sort()).toEqual(['get', 'post']);
      expect((await fetch(`${base}/status`)).status).not.toBe(401);
    });

    it('publishes the AsyncAPI document of the events without a token', async () => {
      const asyncapi = await fetch(`${base}/asyncapi.json`);
      expect(asyncapi.status).toBe(200);
      expect(asyncapi.headers.get('content-type')).toMatch(/^application\/json/);
      expect(asyncapi.headers.get('x-content-type-options')).toBe('nosniff');
      const document = (await asyncapi.json()) as { asyncapi: string; channels: Record<string, { address: string }> };
      expect(document.asyncapi).toBe('3.0.0');
      expect(Object.values(document.channels).map((channel) => channel.address)).toContain('directory.contact.created');
    });
  });

  describe('permissions by role', () => {
    it('lets a viewer read, with the caller, request id and source address in meta', async () => {
      const requestId = `test-${randomUUID()}`;
      const response = await fetch(`${base}/admin/system-options`, {
        headers: { ...bearer('staffViewer'), 'x-request-id': requestId },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ requestLoginButton: false, selfRegistration: true, updatedAt: null });
      expect(lastCall('getSystemOptions')?.caller).toEqual({
        actor: { kind: 'staff', userId: tokens.staffViewer.subject },
        requestId,
        sourceIp: '127.0.0.1',
      });
    });

    it('refuses a viewer writing with 403, before the directory sees anything', async () => {
      const response = await fetch(`${base}/admin/accounts`, {
        method: 'POST',
        headers: { ...bearer('staffViewer'), ...json },
        body: JSON.stringify({ number: 'V-1', name: 'Viewer Co' }),
      });
      expect(await errorOf(response)).toMatchObject({
        status: 403,
        code: 'FORBIDDEN',
        details: { requiredPermission: 'directory:write' },
      });
      expect(lastCall('createAccount')).toBeUndefined();
    });

    it('lets a manager write the directory but not change system settings', async () => {
      const created = await fetch(`${base}/admin/accounts`, {
        method: 'POST',
        headers: { ...bearer('staffManager'), ...json },
        body: JSON.stringify({ number: 'M-1', name: 'Manager Co' }),
      });
      expect(created.status).toBe(201);
      expect(lastCall('createAccount')?.caller.actor).toEqual({ kind: 'staff', userId: tokens.staffManager.subject });

      const settings = await fetch(`${base}/admin/system-options`, {
        method: 'PUT',
        headers: { ...bearer('staffManager'), ...json },
        body: JSON.stringify({ requestLoginButton: true }),
      });
      expect(await errorOf(settings)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(lastCall('updateSystemOptions')).toBeUndefined();
    });

    it('lets an admin change system settings', async () => {
      const response = await fetch(`${base}/admin/system-options`, {
        method: 'PUT',
        headers: { ...bearer('staffAdmin'), ...json },
        body: JSON.stringify({ requestLoginButton: true }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ requestLoginButton: true });
      expect(lastCall('updateSystemOptions')?.caller.actor).toEqual({
        kind: 'staff',
        userId: tokens.staffAdmin.subject,
      });
    });
  });

  describe('params and errors', () => {
    it('assembles path and query params, validated and coerced by the contract', async () => {
      const accountId = randomUUID();
      const response = await fetch(`${base}/admin/accounts/${accountId}/projects?limit=5&hidden=true&unknown=x`, {
        headers: bearer('staffViewer'),
      });
      expect(response.status, await response.clone().text()).toBe(200);
      expect(lastCall('listProjects')?.params).toEqual({ accountId, limit: 5, hidden: true, includeArchived: false });
    });

    it('answers 400 with field details for bad params and repeated query keys', async () => {
      const accountId = randomUUID();
      const tooMany = await fetch(`${base}/admin/accounts/${accountId}/projects?limit=500`, {
        headers: bearer('staffViewer'),
      });
      expect(await errorOf(tooMany)).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ path: 'limit' })],
      });
      const repeated = await fetch(`${base}/admin/accounts/${accountId}/projects?hidden=true&hidden=false`, {
        headers: bearer('staffViewer'),
      });
      expect(await errorOf(repeated)).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
        details: [{ path: 'hidden' }],
      });
      const badId = await fetch(`${base}/admin/accounts/not-a-uuid`, { headers: bearer('staffViewer') });
      expect(await errorOf(badId)).toMatchObject({
        status: 400,
        details: [expect.objectContaining({ path: 'accountId' })],
      });
      const badBody = await fetch(`${base}/admin/accounts`, {
        method: 'POST',
        headers: { ...bearer('staffAdmin'), ...json },
        body: JSON.stringify({ name: 'No Number' }),
      });
      expect(await errorOf(badBody)).toMatchObject({
        status: 400,
        details: [expect.objectContaining({ path: 'number' })],
      });
    });

    it('answers malformed JSON 400 INVALID_JSON, a non-object 400, a wrong media type 415, a big body 413', async () => {
      const post = (body: string, headers: Record<string, string> = json) =>
        fetch(`${base}/admin/accounts`, { method: 'POST', headers: { ...bearer('staffAdmin'), ...headers }, body });
      expect(await errorOf(await post('{"number": "X-1",'))).toMatchObject({ status: 400, code: 'INVALID_JSON' });
      expect(await errorOf(await post('["X-1"]'))).toMatchObject({ status: 400, code: 'INVALID_BODY' });
      expect(
        await errorOf(await post('number=X-1', { 'content-type': 'application/x-www-form-urlencoded' })),
      ).toMatchObject({
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      });
      const big = JSON.stringify({ number: 'X-1', name: 'x'.repeat(17 * 1024) });
      expect(await errorOf(await post(big))).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    });

    it('answers unknown routes 404 in the error format', async () => {
      expect(await errorOf(await fetch(`${base}/none`))).toEqual({
        status: 404,
        code: 'NOT_FOUND',
        message: 'No such resource.',
      });
      expect(await errorOf(await fetch(`${base}/admin/nothing-here`, { headers: bearer('staffAdmin') }))).toMatchObject(
        {
          status: 404,
          code: 'NOT_FOUND',
        },
      );
    });

    it('passes domain errors through, hides internal ones, and answers 503 for a missing action', async () => {
      const missing = await fetch(`${base}/admin/accounts/${missingAccountId}`, { headers: bearer('staffViewer') });
      expect(await errorOf(missing)).toMatchObject({ status: 404, code: 'ACCOUNT_NOT_FOUND' });

      const broken = await fetch(`${base}/admin/accounts/${brokenAccountId}`, { headers: bearer('staffViewer') });
      const text = await broken.clone().text();
      expect(await errorOf(broken)).toEqual({
        status: 500,
        code: 'INTERNAL',
        message: 'Something went wrong on our side.',
      });
      expect(text).not.toMatch(/ECONNREFUSED|s3cret|postgres/);

      // The stand-in does not implement account classes: the dependency is "down" for this action.
      const unavailable = await fetch(`${base}/admin/account-classes`, { headers: bearer('staffViewer') });
      expect(await errorOf(unavailable)).toMatchObject({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
    });
  });

  describe('CSV', () => {
    it('streams an export as a text/csv attachment', async () => {
      const response = await fetch(`${base}/admin/contacts/export`, { headers: bearer('staffManager') });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).toMatch(
        /^attachment; filename="export-contacts-[\d-]+\.csv"$/,
      );
      const lines = (await response.text()).trim().split('\n');
      expect(lines).toHaveLength(2_001);
      expect(lines[0]).toBe('account_number,site_code,first_name,last_name,email,phone,title');
    });

    it('streams an upload through to the action, with the caller in meta', async () => {
      const rows = ['account_number,site_code,first_name,last_name,email,phone,title'];
      for (let i = 0; i < 3_000; i++) rows.push(`A-1,,Bo${i},Ng,bo${i}@example.test,,`);
      const csv = `${rows.join('\n')}\n`;
      const response = await fetch(`${base}/admin/contact-imports`, {
        method: 'POST',
        headers: { ...bearer('staffManager'), 'content-type': 'text/csv' },
        body: csv,
      });
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({ status: 'running', totalRows: 3_000 });
      expect(lastCall('startContactImport')?.params).toEqual({ bytes: Buffer.byteLength(csv), lines: 3_001 });
      expect(lastCall('startContactImport')?.caller.actor).toEqual({
        kind: 'staff',
        userId: tokens.staffManager.subject,
      });
    });

    it('refuses an upload that is not text/csv (415) or is over the CSV limit (413), even when streamed', async () => {
      const upload = (body: RequestInit['body'], contentType: string) =>
        fetch(`${base}/admin/contact-imports`, {
          method: 'POST',
          headers: { ...bearer('staffAdmin'), 'content-type': contentType },
          body,
          duplex: 'half',
        } as RequestInit);
      expect(await errorOf(await upload('{"rows":[]}', 'application/json'))).toMatchObject({ status: 415 });
      expect(await errorOf(await upload('x'.repeat(300 * 1024), 'text/csv'))).toMatchObject({
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
      });
      // Chunked, without a content-length: the limit holds while streaming.
      const chunks = Readable.toWeb(Readable.from(Array.from({ length: 40 }, () => Buffer.alloc(8 * 1024, 0x61))));
      expect(await errorOf(await upload(chunks as ReadableStream, 'text/csv'))).toMatchObject({ status: 413 });
    });
  });

  describe('rate limits', () => {
    let limited: RunningGateway;

    beforeAll(async () => {
      limited = await startGateway(nats, {
        GATEWAY_RATE_LIMIT_PER_MINUTE: '3',
        GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE: '2',
      });
    });
    afterAll(async () => {
      await limited?.stop();
    });

    it('limits each signed-in user separately and answers 429 with Retry-After', async () => {
      const read = (key: DevLoginKey) => fetch(`${limited.base}/admin/system-options`, { headers: bearer(key) });
      for (let i = 0; i < 3; i++) expect((await read('staffAdmin')).status).toBe(200);
      const refused = await read('staffAdmin');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await errorOf(refused)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect((await read('staffViewer')).status).toBe(200);
    });

    it('limits requests without a valid token per client address', async () => {
      const anonymous = () => fetch(`${limited.base}/admin/system-options`);
      expect((await anonymous()).status).toBe(401);
      expect((await anonymous()).status).toBe(401);
      const refused = await anonymous();
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await errorOf(refused)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect((await fetch(`${limited.base}/openapi.json`)).status).toBe(429);
      // No proxy is trusted here: a forged X-Forwarded-For does not buy a fresh budget.
      const forged = await fetch(`${limited.base}/openapi.json`, { headers: { 'x-forwarded-for': '198.51.100.1' } });
      expect(forged.status).toBe(429);
    });

    it('behind a trusted proxy, limits the forwarded client: per IPv4 address, per IPv6 /64', async () => {
      const proxied = await startGateway(nats, {
        GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE: '1',
        GATEWAY_TRUSTED_PROXIES: '10.9.0.0/16, 127.0.0.1',
      });
      try {
        const via = (forwardedFor: string) =>
          fetch(`${proxied.base}/openapi.json`, { headers: { 'x-forwarded-for': forwardedFor } }).then((response) => {
            void response.body?.cancel();
            return response.status;
          });
        expect(await via('203.0.113.5')).toBe(200);
        expect(await via('203.0.113.5')).toBe(429);
        // The client's own claims left of what our proxies appended do not count.
        expect(await via('198.51.100.1, 203.0.113.5, 10.9.0.4')).toBe(429);
        expect(await via('203.0.113.6')).toBe(200);
        expect(await via('2001:db8:5:5::1')).toBe(200);
        expect(await via('2001:db8:5:5:ffff::2')).toBe(429);
        expect(await via('::ffff:203.0.113.6')).toBe(429);
      } finally {
        await proxied.stop();
      }
    });
  });
});
