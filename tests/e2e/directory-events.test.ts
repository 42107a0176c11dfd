import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '@portal/contracts';
import { spawnNode, stackEnv, startPrivateNats, type NodeProcess, type PrivateNats } from '@portal/testing';
import { startServices, tokenFor, type SystemUnderTest } from './support/system-under-test.ts';

const subscriberScript = fileURLToPath(new URL('./fixtures/directory-event-subscriber.ts', import.meta.url));

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
  let system: SystemUnderTest;
  let token: string;
  let subscriber: NodeProcess;
  const runId = randomUUID().slice(0, 8).toUpperCase();

  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${system.gatewayUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });

  beforeAll(async () => {
    // A NATS of this suite's own, so killing it disturbs no other suite.
    nats = await startPrivateNats();
    system = await startServices(['directory', 'gateway'], { NATS_URL: nats.url });
    subscriber = spawnNode('subscriber', subscriberScript, {
      NATS_URL: nats.url,
      SUBSCRIBER_NAME: `e2e-${runId.toLowerCase()}`,
    });
    await eventually(() => (subscriber.output().includes('SUBSCRIBED') ? true : undefined), 30_000, 'the subscriber');
    token = await tokenFor('staffAdmin');
  });

  afterAll(async () => {
    await subscriber?.stop(5_000);
    await system?.stop();
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
    let refusedDuringOutage = 0;
    const createOne = async (number: string) => {
      for (let attempt = 0; attempt < 40; attempt += 1) {
        try {
          const response = await api('POST', '/admin/accounts', { number, name: `Burst ${number}` });
          if (response.status === 201 || response.status === 409) return;
          refusedDuringOutage += 1;
        } catch {
          refusedDuringOutage += 1;
        }
        // NATS (and so the gateway's call) is down: the client retries, as integrators do.
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
    expect(refusedDuringOutage, 'the outage hit requests in flight').toBeGreaterThan(0);

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
