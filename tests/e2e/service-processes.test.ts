import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceNames, type ServiceName } from '@portal/contracts';
import { devCliClientId } from '@portal/deploy/local/dev-logins';
import { natsCredentialsEnvFor } from '@portal/deploy/local/nats-auth';
import { freePort, spawnNode, stackEnv, waitForHttp, type NodeProcess } from '@portal/testing';
import { serviceMainPath } from '../support/service-mains.ts';
import { tokenFor } from './support/system-under-test.ts';

const mainOf = (service: ServiceName) => serviceMainPath(service);
const allInOneMain = serviceMainPath('all-in-one');

/**
 * The variables a service process reads, taken from the running stack; nothing else leaks in.
 * The process connects to NATS as its own user (`all-in-one` for the single process).
 */
function serviceEnv(process: ServiceName | 'all-in-one', extra: Record<string, string>): Record<string, string> {
  const env = stackEnv();
  const keys = [
    'NATS_URL',
    'KEYCLOAK_URL',
    'KEYCLOAK_ADMIN_USERNAME',
    'KEYCLOAK_ADMIN_PASSWORD',
    'KEYCLOAK_IDENTITY_CLIENT_SECRET',
    'KEYCLOAK_GATEWAY_CLIENT_SECRET',
    'S3_ENDPOINT',
    'S3_ACCESS_KEY',
    'S3_SECRET_KEY',
    'S3_REGION',
    'SMTP_URL',
    'CLAMD_URL',
    ...serviceNames.map((service) => `${service.toUpperCase()}_DATABASE_URL`),
  ];
  return {
    ...Object.fromEntries(keys.filter((key) => env[key]).map((key) => [key, env[key] as string])),
    ...natsCredentialsEnvFor(env, process),
    LOG_LEVEL: 'warn',
    GATEWAY_ALLOWED_CLIENTS: `portal-gateway,${devCliClientId}`,
    // A stack reused from an older launcher run may not name one.
    GATEWAY_SESSION_SECRET: env.GATEWAY_SESSION_SECRET || randomBytes(32).toString('base64url'),
    NOTIFICATIONS_UNSUBSCRIBE_SECRET: env.NOTIFICATIONS_UNSUBSCRIBE_SECRET || randomBytes(32).toString('base64url'),
    ...extra,
  };
}

async function expectSystemUp(gatewayPort: number, describe: () => string) {
  const url = `http://127.0.0.1:${gatewayPort}/api/v1/status`;
  await (await waitForHttp(url, 200, 30_000, describe)).body?.cancel();
  // Without a token the status is the verdict alone; nodes and dependencies need a staff token.
  expect(await (await fetch(url)).json()).toEqual({ status: 'ok' });
  const response = await fetch(url, { headers: { authorization: `Bearer ${await tokenFor('staffViewer')}` } });
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    status: string;
    services: Record<string, { dependencies?: Record<string, string> }>;
  };
  expect(body.status).toBe('ok');
  expect(Object.keys(body.services).sort()).toEqual([...serviceNames].sort());
  for (const service of serviceNames) expect(body.services[service]?.dependencies, service).toBeDefined();
  expect(body.services.identity?.dependencies).toMatchObject({
    postgres: 'up',
    'keycloak.staff': 'up',
    'keycloak.portal': 'up',
  });
  expect(body.services.documents?.dependencies).toMatchObject({ postgres: 'up', s3: 'up', clamd: 'up' });
  expect(body.services.notifications?.dependencies).toMatchObject({ postgres: 'up', smtp: 'up' });
  return body;
}

describe('each service as its own process', () => {
  const namespace = `e2e-${randomUUID().slice(0, 8)}`;
  const processes: NodeProcess[] = [];
  const healthPorts = new Map<ServiceName, number>();
  let gatewayPort: number;
  const outputs = () => processes.map((p) => `--- ${p.name}\n${p.output().slice(-1500)}`).join('\n');

  beforeAll(async () => {
    gatewayPort = await freePort();
    for (const service of serviceNames) {
      const healthPort = await freePort();
      healthPorts.set(service, healthPort);
      processes.push(
        spawnNode(
          service,
          mainOf(service),
          serviceEnv(service, {
            MOLECULER_NAMESPACE: namespace,
            HEALTH_PORT: String(healthPort),
            HEALTH_HOST: '127.0.0.1',
            GATEWAY_PORT: String(gatewayPort),
          }),
        ),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop(5_000)));
  });

  it('every process becomes ready on its own health endpoint', async () => {
    for (const service of serviceNames) {
      await waitForHttp(`http://127.0.0.1:${healthPorts.get(service)}/readyz`, 200, 60_000, outputs);
      const live = await fetch(`http://127.0.0.1:${healthPorts.get(service)}/healthz`);
      expect(live.status).toBe(200);
    }
  });

  it('the gateway reaches all six services over NATS, each on its own node', async () => {
    const body = await expectSystemUp(gatewayPort, outputs);
    const nodeIDs = serviceNames.map((service) => (body.services[service] as { nodeID?: string }).nodeID);
    expect(new Set(nodeIDs).size).toBe(serviceNames.length);
  });

  it('answers an unknown route with the error format and a request id', async () => {
    const response = await fetch(`http://127.0.0.1:${gatewayPort}/api/v1/no-such-thing`, {
      headers: { 'x-request-id': 'test-request-0001' },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('test-request-0001');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'No such resource.' },
      requestId: 'test-request-0001',
    });
  });

  it('reports a stopped service as unreachable, then every process stops cleanly on SIGTERM', async () => {
    const submittals = processes.find((p) => p.name === 'submittals');
    expect(await submittals?.stop()).toBe(0);
    const url = `http://127.0.0.1:${gatewayPort}/api/v1/status`;
    await (await waitForHttp(url, 503, 15_000, outputs)).body?.cancel();
    const degraded = await fetch(url, { headers: { authorization: `Bearer ${await tokenFor('staffViewer')}` } });
    const body = (await degraded.json()) as { services: Record<string, { state?: string }> };
    expect(body.services.submittals?.state).toBe('unreachable');

    const codes = await Promise.all(processes.map((p) => p.stop()));
    expect(codes).toEqual(serviceNames.map(() => 0));
  });
});

describe('all six services in one process', () => {
  let allInOne: NodeProcess;
  let gatewayPort: number;
  let healthPort: number;

  beforeAll(async () => {
    gatewayPort = await freePort();
    healthPort = await freePort();
    allInOne = spawnNode(
      'all-in-one',
      allInOneMain,
      serviceEnv('all-in-one', {
        MOLECULER_NAMESPACE: `e2e-${randomUUID().slice(0, 8)}`,
        HEALTH_PORT: String(healthPort),
        HEALTH_HOST: '127.0.0.1',
        GATEWAY_PORT: String(gatewayPort),
      }),
    );
  });

  afterAll(async () => {
    await allInOne?.stop(5_000);
  });

  it('serves the same API from one broker and stops cleanly', async () => {
    await waitForHttp(`http://127.0.0.1:${healthPort}/readyz`, 200, 60_000, () => allInOne.output());
    await expectSystemUp(gatewayPort, () => allInOne.output());
    // One registry for the process: every service's series on one endpoint, told apart by `service`.
    const metrics = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
    for (const service of serviceNames) {
      expect(metrics).toMatch(
        new RegExp(`^portal_action_calls_total\\{service="${service}",action="${service}\\.status"\\} [1-9]`, 'm'),
      );
    }
    for (const service of serviceNames.filter((name) => name !== 'gateway')) {
      expect(metrics).toContain(`portal_outbox_unpublished_events{service="${service}"}`);
    }
    expect(await allInOne.stop()).toBe(0);
  });
});

describe('configuration is checked once, at start', () => {
  it('exits 78 listing every bad variable', async () => {
    const directory = spawnNode('directory', mainOf('directory'), { NATS_URL: 'http://wrong', HEALTH_PORT: 'many' });
    expect(await directory.exited(15_000)).toBe(78);
    const output = directory.output();
    expect(output).toContain('NATS_URL: must start with nats://');
    expect(output).toContain('HEALTH_PORT');
    expect(output).toContain('DIRECTORY_DATABASE_URL');
  });

  it('exits 78 when only half of the NATS credentials is given', async () => {
    const { NATS_PASSWORD: _password, ...withoutPassword } = serviceEnv('directory', {});
    const directory = spawnNode('directory', mainOf('directory'), withoutPassword);
    expect(await directory.exited(15_000)).toBe(78);
    expect(directory.output()).toContain('NATS_PASSWORD: must be set together with NATS_USER');
  });

  it('exits 69 when NATS refuses the credentials, naming the user and never the password', async () => {
    const wrongPassword = `wrong-${randomBytes(8).toString('hex')}`;
    const directory = spawnNode(
      'directory',
      mainOf('directory'),
      serviceEnv('directory', { NATS_PASSWORD: wrongPassword, HEALTH_PORT: String(await freePort()) }),
    );
    expect(await directory.exited(30_000)).toBe(69);
    const output = directory.output();
    expect(output).toMatch(/NATS is not reachable at nats:\/\/\S+ as directory: .*authorization.violation/i);
    expect(output).not.toContain(wrongPassword);
  });
});

describe("--migrate-only (the chart's migration Job)", () => {
  it("brings every service's schema in an empty database to its latest migration with the database URLs alone, and finds nothing to do the second time", async () => {
    const database = `portal_migrate_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: stackEnv().PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${database}`);
    const url = new URL(stackEnv().PG_ADMIN_URL as string);
    url.pathname = `/${database}`;
    // No NATS, Keycloak, S3, SMTP or secret: a Job that only migrates needs none of them.
    const env = Object.fromEntries(
      serviceNames.map((service) => [`${service.toUpperCase()}_DATABASE_URL`, url.toString()]),
    );
    const reportsOf = (output: string) =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{"process":"all-in-one"'))
        .map((line) => JSON.parse(line) as { schema: string; applied: string[] });
    try {
      const first = spawnNode('migrate-only', allInOneMain, env, ['--migrate-only']);
      expect(await first.exited(60_000), first.output()).toBe(0);
      const applied = reportsOf(first.output());
      expect(applied.map((report) => report.schema).sort()).toEqual([...serviceNames].sort());
      const target = new pg.Client({ connectionString: url.toString() });
      await target.connect();
      try {
        for (const { schema, applied: names } of applied) {
          expect(names.length, schema).toBeGreaterThan(0);
          const recorded = await target.query<{ name: string }>(
            `select name from ${schema}.mikro_orm_migrations order by id`,
          );
          expect(
            recorded.rows.map((row) => row.name),
            schema,
          ).toEqual(names);
        }
      } finally {
        await target.end();
      }

      const second = spawnNode('migrate-only again', allInOneMain, env, ['--migrate-only']);
      expect(await second.exited(60_000), second.output()).toBe(0);
      const again = reportsOf(second.output()).map((report) => `${report.schema}: ${report.applied.length}`);
      expect(again.sort()).toEqual(serviceNames.map((service) => `${service}: 0`).sort());
    } finally {
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
    }
  });
});
