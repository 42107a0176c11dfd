import { randomUUID } from 'node:crypto';
import type moleculer from 'moleculer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionContracts, bellStreamPaths, type HttpBinding } from '@portal/contracts';
import { call, createBroker, natsSettingsOf, portalMetrics } from '@portal/kit';
import {
  apiClient,
  createTemporaryLogin,
  keycloakAdminOf,
  stackEnv,
  type ApiClient,
  type TemporaryLogin,
} from '@portal/testing';
import { openBellStream } from '../support/bell-sse.ts';
import { startServices, tokenFor, type SystemUnderTest } from './support/system-under-test.ts';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text exposition, one sample per line (comments left out). */
function parseExposition(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not an exposition line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map((label) => [label[1], label[2]]),
      );
      return { name: match[1] as string, labels, value: Number(match[3]) };
    });
}

/** The action a route runs, from the same contracts the gateway routes by. */
function actionAt(method: string, path: string): string {
  const found = Object.entries(actionContracts).find(([, contract]) => {
    const binding = 'http' in contract ? (contract.http as HttpBinding | undefined) : undefined;
    return binding?.method === method && binding.path === path;
  });
  if (!found) throw new Error(`no contract serves ${method} ${path}`);
  return found[0];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Each process's `/metrics` after real staff and portal requests: gateway, directory and
 * notifications as their own processes, scraped over HTTP on their health ports like Prometheus
 * would.
 */
describe('Prometheus metrics of each process', () => {
  let system: SystemUnderTest;
  let bus: moleculer.ServiceBroker;
  let staff: ApiClient;
  let portal: ApiClient;
  let portalToken: string;
  let accountId: string;
  const logins: TemporaryLogin[] = [];
  const run = randomUUID().slice(0, 6).toUpperCase();
  const getAccount = actionAt('GET', '/admin/accounts/:accountId');
  const listPortalProjects = actionAt('GET', '/portal/projects');

  async function scrape(entry: 'gateway' | 'directory' | 'notifications'): Promise<Sample[]> {
    const url = `${system.healthUrls[entry]}/metrics`;
    const startedAt = Date.now();
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseExposition(await response.text());
    // A scrape never waits long, whatever the database and NATS are doing.
    expect(Date.now() - startedAt).toBeLessThan(2_500);
    return samples;
  }

  const find = (samples: Sample[], name: string, labels: Record<string, string>) =>
    samples.filter(
      (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    );
  const valueOf = (samples: Sample[], name: string, labels: Record<string, string>) =>
    find(samples, name, labels).reduce((sum, sample) => sum + sample.value, 0);

  beforeAll(async () => {
    const namespace = `e2e-metrics-${randomUUID().slice(0, 8)}`;
    system = await startServices(['gateway', 'directory', 'notifications'], { MOLECULER_NAMESPACE: namespace });
    bus = createBroker({
      nodeID: `e2e-metrics-bus-${run}`,
      ...natsSettingsOf(stackEnv()),
      namespace,
      logLevel: 'warn',
    });
    await bus.start();
    await bus.waitForServices(['directory'], 10_000);
    const managerToken = await tokenFor('staffManager');
    staff = apiClient(system.gatewayUrl, () => managerToken);

    const account = await staff.request<{ id: string }>('POST', '/admin/accounts', {
      body: { number: `METRICS-${run}`, name: `Metrics ${run}` },
    });
    expect(account.status, account.text).toBe(201);
    accountId = account.body.id;

    // A contact with portal access, linked the way identity links it (identity is not running here).
    const login = await createTemporaryLogin(keycloakAdminOf(stackEnv()), 'portal', { usernamePrefix: 'e2e-metrics' });
    logins.push(login);
    const contact = await staff.request<{ id: string }>('POST', `/admin/accounts/${accountId}/contacts`, {
      body: { firstName: 'Mia', lastName: `Metrics ${run}`, email: login.username },
    });
    expect(contact.status, contact.text).toBe(201);
    await call(bus, 'directory.applyAccessTransition', {
      contactId: contact.body.id,
      to: 'enabled',
      identityUserId: login.subject,
    });
    portalToken = await login.accessToken();
    portal = apiClient(system.gatewayUrl, () => portalToken);
  });

  afterAll(async () => {
    for (const login of logins) await login.remove();
    await bus?.stop();
    await system?.stop();
  });

  it('counts staff requests under the route template, never the path with its id, with their status and duration', async () => {
    const missingId = randomUUID();
    expect((await staff.request('GET', `/admin/accounts/${accountId}`)).status).toBe(200);
    expect((await staff.request('GET', `/admin/accounts/${accountId}`)).status).toBe(200);
    expect((await staff.request('GET', `/admin/accounts/${missingId}`)).status).toBe(404);

    const gateway = await scrape('gateway');
    const route = { route: '/api/v1/admin/accounts/:accountId', method: 'GET' };
    expect(valueOf(gateway, portalMetrics.httpRequests.name, { ...route, status: '200' })).toBeGreaterThanOrEqual(2);
    expect(valueOf(gateway, portalMetrics.httpRequests.name, { ...route, status: '404' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(gateway, `${portalMetrics.httpDuration.name}_count`, route)).toBeGreaterThanOrEqual(3);
    expect(find(gateway, `${portalMetrics.httpDuration.name}_bucket`, { ...route, le: '+Inf' })).toHaveLength(1);
    // No label anywhere holds an id.
    const labelValues = gateway.flatMap((sample) => Object.values(sample.labels));
    expect(labelValues.filter((value) => value.includes(accountId) || value.includes(missingId))).toEqual([]);
  });

  it('counts an action where it runs, and its DomainError by code and kind', async () => {
    expect((await staff.request('GET', `/admin/accounts/${randomUUID()}`)).status).toBe(404);

    const directory = await scrape('directory');
    const labels = { service: 'directory', action: getAccount };
    expect(valueOf(directory, portalMetrics.actionCalls.name, labels)).toBeGreaterThanOrEqual(3);
    expect(
      valueOf(directory, portalMetrics.actionErrors.name, { ...labels, code: 'ACCOUNT_NOT_FOUND', kind: 'not_found' }),
    ).toBeGreaterThanOrEqual(2);
    expect(valueOf(directory, `${portalMetrics.actionDuration.name}_count`, labels)).toBeGreaterThanOrEqual(3);
    // The call the test's own node made is counted by the directory, which handled it.
    expect(
      valueOf(directory, portalMetrics.actionCalls.name, {
        service: 'directory',
        action: 'directory.applyAccessTransition',
      }),
    ).toBeGreaterThanOrEqual(1);
    // The gateway only called: the directory's actions are not in its series.
    const gateway = await scrape('gateway');
    expect(find(gateway, portalMetrics.actionCalls.name, { action: getAccount })).toEqual([]);
    expect(valueOf(gateway, portalMetrics.actionCalls.name, { service: 'gateway' })).toBeGreaterThan(0);
  });

  it('counts portal requests and shows an open bell stream as an SSE connection, counted but not timed once closed', async () => {
    const projects = await portal.request('GET', '/portal/projects');
    expect(projects.status, projects.text).toBe(200);

    const stream = await openBellStream({
      gatewayUrl: system.gatewayUrl,
      path: bellStreamPaths.portal,
      token: portalToken,
    });
    expect(stream.status).toBe(200);
    const streamRoute = `/api/v1${bellStreamPaths.portal}`;
    try {
      const gateway = await scrape('gateway');
      expect(valueOf(gateway, portalMetrics.sseConnections.name, {})).toBe(1);
      expect(
        valueOf(gateway, portalMetrics.httpRequests.name, {
          route: '/api/v1/portal/projects',
          method: 'GET',
          status: '200',
        }),
      ).toBeGreaterThanOrEqual(1);
      const directory = await scrape('directory');
      expect(
        valueOf(directory, portalMetrics.actionCalls.name, { service: 'directory', action: listPortalProjects }),
      ).toBeGreaterThanOrEqual(1);
    } finally {
      stream.close();
    }

    let gateway: Sample[] = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      gateway = await scrape('gateway');
      if (valueOf(gateway, portalMetrics.httpRequests.name, { route: streamRoute }) > 0) break;
      await sleep(100);
    }
    expect(valueOf(gateway, portalMetrics.sseConnections.name, {})).toBe(0);
    expect(
      valueOf(gateway, portalMetrics.httpRequests.name, { route: streamRoute, method: 'GET', status: '200' }),
    ).toBe(1);
    expect(find(gateway, `${portalMetrics.httpDuration.name}_count`, { route: streamRoute })).toEqual([]);
  });

  it('reads the outbox backlog, consumer lag and dead letters at scrape time', async () => {
    // The account and contact above went through the directory's outbox; the relay drains it.
    let directory: Sample[] = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      directory = await scrape('directory');
      if (valueOf(directory, portalMetrics.outboxUnpublished.name, { service: 'directory' }) === 0) break;
      await sleep(200);
    }
    expect(find(directory, portalMetrics.outboxUnpublished.name, { service: 'directory' })).toEqual([
      { name: portalMetrics.outboxUnpublished.name, labels: { service: 'directory' }, value: 0 },
    ]);
    expect(find(directory, portalMetrics.outboxQuarantined.name, { service: 'directory' })).toHaveLength(1);

    for (const [entry, service] of [
      ['directory', 'directory'],
      ['notifications', 'notifications'],
    ] as const) {
      const samples = entry === 'directory' ? directory : await scrape(entry);
      const consumers = find(samples, portalMetrics.consumerPending.name, { service });
      expect(consumers.length, `${service}'s consumers`).toBeGreaterThanOrEqual(3);
      for (const consumer of consumers) {
        expect(consumer.labels.consumer).toMatch(new RegExp(`^${service}-`));
        expect(Number.isInteger(consumer.value) && consumer.value >= 0).toBe(true);
        const deadLetters = find(samples, portalMetrics.consumerDeadLetters.name, {
          service,
          consumer: consumer.labels.consumer ?? '',
        });
        expect(deadLetters).toHaveLength(1);
        expect(Number.isInteger(deadLetters[0]?.value) && (deadLetters[0]?.value ?? -1) >= 0).toBe(true);
        expect(
          find(samples, portalMetrics.consumerAckPending.name, { service, consumer: consumer.labels.consumer ?? '' }),
        ).toHaveLength(1);
      }
      expect(find(samples, portalMetrics.durableStatusFailures.name, { service })).toEqual([]);
    }
    expect(
      find(directory, portalMetrics.consumerPending.name, { consumer: 'directory-on-identity-access-events' }),
    ).toHaveLength(1);
    // The gateway keeps no outbox of its own.
    expect(find(await scrape('gateway'), portalMetrics.outboxUnpublished.name, {})).toEqual([]);
  });

  it("adds prom-client's process metrics on every process", async () => {
    for (const entry of ['gateway', 'directory', 'notifications'] as const) {
      const samples = await scrape(entry);
      expect(find(samples, 'process_cpu_seconds_total', {}), entry).toHaveLength(1);
      expect(find(samples, 'nodejs_eventloop_lag_p99_seconds', {}), entry).toHaveLength(1);
      expect(valueOf(samples, 'process_resident_memory_bytes', {}), entry).toBeGreaterThan(0);
    }
  });
});
