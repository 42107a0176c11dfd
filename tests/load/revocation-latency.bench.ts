/**
 * Revocation latency (DESIGN "Revocation": refused everywhere within 2 s): two gateway replicas
 * (each its own process) and the directory; for a staff login and a portal login (Keycloak users
 * of their own), each trial writes the subject's entry to the revocation list and polls an
 * already-issued token against both replicas every 5 ms until both answer 401. Between trials the
 * entry is deleted and both replicas are seen accepting the token again.
 *
 * The entry is written to the list directly (`openRevocationList`), as identity's revoke will write
 * it: `identity.revokeAccess` is not on this branch yet, so Keycloak's own part (disabling the user,
 * ending sessions) is not in these figures.
 *
 *   node tests/load/revocation-latency.bench.ts           (or: npm run bench:revocation)
 *   REVOCATION_BENCH_TRIALS=10 node tests/load/revocation-latency.bench.ts
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { connect } from 'nats';
import { call, createBroker, openRevocationList, REVOCATION_BUCKET, type RevocationRealm } from '@portal/kit';
import { createTemporaryLogin, isolateTestDatabase, keycloakAdminOf, type TemporaryLogin } from '@portal/testing';
import { devAccessToken } from '@portal/deploy/local/dev-logins';
import { startServiceSystem, type ServiceSystem } from '../support/service-system.ts';
import { gitCommit, stackEnv, start, stopAll } from './support/measure.ts';

const trials = Number(process.env.REVOCATION_BENCH_TRIALS ?? 50);
const pollEveryMs = 5;
/** The gateway's default (REVOCATION_ENTRY_TTL_HOURS=24): the bucket keeps its first creator's. */
const entryTtlMs = 24 * 3_600_000;
const resultsFile = join(import.meta.dirname, 'results', 'revocation-latency.json');
const routeOf: Record<RevocationRealm, string> = {
  staff: '/api/v1/admin/system-options',
  portal: '/api/v1/portal/projects',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const round = (ms: number) => Math.round(ms * 10) / 10;

async function statusesOf(replicas: readonly string[], realm: RevocationRealm, token: string): Promise<number[]> {
  return Promise.all(
    replicas.map(async (base) => {
      const response = await fetch(`${base}${routeOf[realm]}`, { headers: { authorization: `Bearer ${token}` } });
      await response.body?.cancel();
      return response.status;
    }),
  );
}

async function until(
  replicas: readonly string[],
  realm: RevocationRealm,
  token: string,
  status: number,
  limitMs: number,
) {
  const began = performance.now();
  for (;;) {
    const statuses = await statusesOf(replicas, realm, token);
    if (statuses.every((answer) => answer === status)) return performance.now() - began;
    if (performance.now() - began > limitMs)
      throw new Error(`${realm}: replicas answer ${statuses} after ${limitMs} ms`);
    await sleep(pollEveryMs);
  }
}

async function main(): Promise<void> {
  const stack = await isolateTestDatabase(stackEnv());
  const namespace = `bench-revoke-${randomUUID().slice(0, 8)}`;
  const env = { MOLECULER_NAMESPACE: namespace, GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000' };
  const systems: ServiceSystem[] = [];
  const logins = {} as Record<RevocationRealm, TemporaryLogin>;
  const nats = await connect({ servers: stack.NATS_URL });
  const bus = createBroker({
    nodeID: `bench-bus-${namespace}`,
    natsUrl: stack.NATS_URL ?? '',
    namespace,
    logLevel: 'warn',
  });
  try {
    systems.push(
      await startServiceSystem({ stack, entries: ['directory', 'gateway'], namespacePrefix: 'x', env, spawn: start }),
    );
    systems.push(await startServiceSystem({ stack, entries: ['gateway'], namespacePrefix: 'x', env, spawn: start }));
    const replicas = systems.map((system) => system.gatewayUrl);
    const admin = keycloakAdminOf(stack);
    logins.staff = await createTemporaryLogin(admin, 'staff', { roles: ['viewer'], usernamePrefix: 'bench-revoke' });
    logins.portal = await createTemporaryLogin(admin, 'portal', { usernamePrefix: 'bench-revoke' });

    // The portal login's contact, linked as identity would link it.
    await bus.start();
    await bus.waitForServices(['directory'], 10_000);
    const staffToken = await devAccessToken(stack.KEYCLOAK_URL ?? '', 'staffAdmin');
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${replicas[0]}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as { id: string };
    };
    const account = await post('/admin/accounts', { number: `RV-${namespace}`, name: `Revocation bench ${namespace}` });
    const contact = await post(`/admin/accounts/${account.id}/contacts`, {
      firstName: 'Rita',
      lastName: 'Revoked',
      email: logins.portal.username,
    });
    await call(bus, 'directory.applyAccessTransition', {
      contactId: contact.id,
      to: 'enabled',
      identityUserId: logins.portal.subject,
    });

    const list = await openRevocationList(nats, { entryTtlMs });
    const kv = await nats.jetstream().views.kv(REVOCATION_BUCKET);
    const results: Record<string, unknown> = {};
    for (const realm of ['portal', 'staff'] as const) {
      const login = logins[realm];
      let token = await login.accessToken();
      let issuedAt = Date.now();
      const latencies: number[] = [];
      for (let trial = 0; trial < trials; trial++) {
        if (Date.now() - issuedAt > 200_000) {
          token = await login.accessToken();
          issuedAt = Date.now();
        }
        await until(replicas, realm, token, 200, 5_000);
        const began = performance.now();
        await list.revoke(realm, login.subject);
        await until(replicas, realm, token, 401, 10_000);
        latencies.push(performance.now() - began);
        await kv.delete(`${realm}.${login.subject}`);
      }
      const sorted = [...latencies].sort((a, b) => a - b);
      results[realm] = {
        trials: sorted.length,
        p50Ms: round(percentile(sorted, 50)),
        p99Ms: round(percentile(sorted, 99)),
        maxMs: round(sorted.at(-1) ?? NaN),
        minMs: round(sorted[0] ?? NaN),
        within2s: sorted.filter((ms) => ms < 2_000).length,
      };
      process.stdout.write(`${realm}: ${JSON.stringify(results[realm])}\n`);
    }
    const result = {
      measuredAt: new Date().toISOString(),
      method:
        'revocation entry written directly to the list (openRevocationList), not through identity.revokeAccess; latency = from the write until both replicas answer 401, polled every 5 ms',
      machine: { cpus: cpus().length, loadAverage: loadavg().map((value) => Math.round(value * 100) / 100) },
      node: process.version,
      replicas: replicas.length,
      pollEveryMs,
      results,
      commit: gitCommit(),
    };
    await mkdir(dirname(resultsFile), { recursive: true });
    await writeFile(resultsFile, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`written to ${resultsFile}\n`);
  } finally {
    for (const login of Object.values(logins)) await login.remove().catch(() => undefined);
    await bus.stop();
    await nats.close();
    await stopAll();
  }
}

await main();
