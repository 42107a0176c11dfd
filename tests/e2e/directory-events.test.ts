import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '@portal/contracts';
import {
  freePort,
  spawnNode,
  stackEnv,
  startPrivateNats,
  waitForHttp,
  type NodeProcess,
  type PrivateNats,
} from '@portal/testing';
import { devCliClientId, devLogins } from '../../deploy/local/dev-logins.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const subscriberScript = fileURLToPath(new URL('./fixtures/directory-event-subscriber.ts', import.meta.url));

async function staffToken(keycloakUrl: string): Promise<string> {
  const admin = devLogins.staffAdmin;
  const response = await fetch(`${keycloakUrl}/realms/staff/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: devCliClientId,
      username: admin.username,
      password: admin.password,
    }),
  });
  if (!response.ok) throw new Error(`staff token: ${response.status} ${await response.text()}`);
  return String(((await response.json()) as { access_token: string }).access_token);
}

function receivedEvents(subscriber: NodeProcess): EventEnvelope<Record<string, unknown>>[] {
  return subscriber
    .output()
    .split('\n')
    .filter((line) => line.startsWith('EVENT '))
    .map((line) => JSON.parse(line.slice('EVENT '.length)) as EventEnvelope<Record<string, unknown>>);
}

async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('directory events reach an integrator over JetStream', () => {
  let nats: PrivateNats;
  let gatewayPort: number;
  let token: string;
  const processes: NodeProcess[] = [];
  let subscriber: NodeProcess;
  const runId = randomUUID().slice(0, 8).toUpperCase();
  const outputs = () => processes.map((p) => `--- ${p.name}\n${p.output().slice(-1500)}`).join('\n');

  const api = (method: string, path: string, body?: unknown) =>
    fetch(`http://127.0.0.1:${gatewayPort}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });

  beforeAll(async () => {
    const env = stackEnv();
    nats = await startPrivateNats();
    gatewayPort = await freePort();
    const common = {
      NATS_URL: nats.url,
      MOLECULER_NAMESPACE: `e2e-${runId.toLowerCase()}`,
      LOG_LEVEL: 'warn',
      HEALTH_HOST: '127.0.0.1',
    };
    const directoryHealth = await freePort();
    const gatewayHealth = await freePort();
    processes.push(
      spawnNode('directory', `${root}services/directory/src/main.ts`, {
        ...common,
        HEALTH_PORT: String(directoryHealth),
        DIRECTORY_DATABASE_URL: String(env.DIRECTORY_DATABASE_URL),
      }),
      spawnNode('gateway', `${root}services/gateway/src/main.ts`, {
        ...common,
        HEALTH_PORT: String(gatewayHealth),
        GATEWAY_PORT: String(gatewayPort),
        KEYCLOAK_URL: String(env.KEYCLOAK_URL),
      }),
    );
    await waitForHttp(`http://127.0.0.1:${directoryHealth}/readyz`, 200, 60_000, outputs);
    await waitForHttp(`http://127.0.0.1:${gatewayHealth}/readyz`, 200, 60_000, outputs);
    // Ready is per process; the gateway learns of the directory node over NATS a moment later.
    await eventually(
      async () => {
        const status = (await (await fetch(`http://127.0.0.1:${gatewayPort}/api/v1/status`)).json()) as {
          services: Record<string, { dependencies?: unknown }>;
        };
        return status.services.directory?.dependencies ? true : undefined;
      },
      30_000,
      'the gateway to discover the directory',
    );
    subscriber = spawnNode('subscriber', subscriberScript, {
      NATS_URL: nats.url,
      SUBSCRIBER_NAME: `e2e-${runId.toLowerCase()}`,
    });
    processes.push(subscriber);
    await eventually(() => (subscriber.output().includes('SUBSCRIBED') ? true : undefined), 30_000, 'the subscriber');
    token = await staffToken(String(env.KEYCLOAK_URL));
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop(5_000)));
    await nats?.close();
  });

  it('delivers one valid event per change, for every kind of change', async () => {
    const created = await api('POST', '/admin/accounts', { number: `EV-${runId}`, name: `Events ${runId}` });
    expect(created.status, await created.clone().text()).toBe(201);
    const account = (await created.json()) as { id: string };
    const site = (await (
      await api('POST', `/admin/accounts/${account.id}/sites`, { code: 'S1', name: 'Plant' })
    ).json()) as { id: string };
    const project = (await (
      await api('POST', `/admin/accounts/${account.id}/projects`, { code: 'P1', name: 'Line 1', siteId: site.id })
    ).json()) as { id: string };
    const contact = (await (
      await api('POST', `/admin/accounts/${account.id}/contacts`, {
        firstName: 'Eve',
        lastName: 'Events',
        email: `eve.${runId.toLowerCase()}@customer.test`,
      })
    ).json()) as { id: string };
    expect((await api('PATCH', `/admin/accounts/${account.id}`, { name: `Events ${runId} GmbH` })).status).toBe(200);
    expect((await api('PATCH', `/admin/projects/${project.id}`, { hidden: true })).status).toBe(200);
    expect(
      (
        await api('PUT', `/admin/contacts/${contact.id}/access-scope`, {
          scope: { kind: 'selected', siteIds: [site.id], projectIds: [] },
        })
      ).status,
    ).toBe(200);
    expect((await api('DELETE', `/admin/contacts/${contact.id}`)).status).toBe(200);

    const expected = [
      'directory.account.created',
      'directory.site.created',
      'directory.project.created',
      'directory.contact.created',
      'directory.account.updated',
      'directory.project.updated',
      'directory.access-scope.changed',
      'directory.contact.archived',
    ];
    const events = await eventually(
      () => {
        const mine = receivedEvents(subscriber).filter((event) => event.accountId === account.id);
        return mine.length >= expected.length ? mine : undefined;
      },
      20_000,
      'the change events',
    );
    expect(events.map((event) => event.type).sort()).toEqual([...expected].sort());
    expect(subscriber.output()).not.toContain('INVALID');
    for (const event of events) expect(event.actor).toMatchObject({ kind: 'staff' });
  });

  it('loses no event when NATS is killed during a burst of changes', async () => {
    const burst = 120;
    const numbers = Array.from({ length: burst }, (_, index) => `BURST-${runId}-${String(index).padStart(3, '0')}`);
    let next = 0;
    let killed = false;
    const createOne = async (number: string) => {
      for (let attempt = 0; attempt < 40; attempt += 1) {
        try {
          const response = await api('POST', '/admin/accounts', { number, name: `Burst ${number}` });
          if (response.status === 201 || response.status === 409) return;
        } catch {
          // NATS (and so the gateway's call) is down: the client retries, as integrators do.
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`could not create ${number}`);
    };
    const worker = async () => {
      while (next < numbers.length) {
        const number = numbers[next++] as string;
        if (!killed && next === Math.floor(burst / 3)) {
          killed = true;
          await nats.kill();
          setTimeout(() => void nats.restart(), 1_500);
        }
        await createOne(number);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(killed).toBe(true);

    // Ground truth is what PostgreSQL committed; every committed account must have its event.
    const client = new pg.Client({ connectionString: stackEnv().PG_ADMIN_URL });
    await client.connect();
    const committed = await client.query<{ id: string }>(`select id from directory.account where number like $1`, [
      `BURST-${runId}-%`,
    ]);
    await client.end();
    expect(committed.rowCount).toBe(burst);

    const committedIds = new Set(committed.rows.map((row) => row.id));
    const received = await eventually(
      () => {
        const ids = new Set(
          receivedEvents(subscriber)
            .filter(
              (event) => event.type === 'directory.account.created' && committedIds.has(String(event.data.accountId)),
            )
            .map((event) => String(event.data.accountId)),
        );
        return ids.size === committedIds.size ? ids : undefined;
      },
      60_000,
      `all ${burst} account.created events`,
    );
    expect(received.size).toBe(burst);
  });
});
