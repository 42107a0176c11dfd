/**
 * Revocation latency (DESIGN "Revocation": refused everywhere within 2 s): two gateway replicas
 * (each its own process), identity and the directory. Each trial polls an already-issued token
 * against both replicas every 5 ms until both answer 401:
 *
 * - portal: a contact whose access staff enabled through the API (a generated password); each trial
 *   signs in, then staff revoke it with `POST /admin/contacts/:id/access/revoke` — the whole path:
 *   Keycloak disables the login and ends its sessions, identity writes the revocation list, the
 *   directory records the transition — timed from the request until both replicas refuse; then
 *   staff re-enable it for the next trial.
 * - staff: the portal has no staff revocation route yet (staff users are managed in Keycloak), so
 *   the entry is written to the list directly, as identity does; the gateway's side is the same.
 *
 *   node tests/load/revocation-latency.bench.ts           (or: npm run bench:revocation)
 *   REVOCATION_BENCH_TRIALS=10 node tests/load/revocation-latency.bench.ts
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { connect } from 'nats';
import { natsConnectionOptionsOf, openRevocationList, REVOCATION_BUCKET, type RevocationRealm } from '@portal/kit';
import { createTemporaryLogin, isolateTestDatabase, keycloakAdminOf, type TemporaryLogin } from '@portal/testing';
import { devAccessToken, devCliClientId } from '@portal/deploy/local/dev-logins';
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
  const nats = await connect(natsConnectionOptionsOf(stack));
  try {
    systems.push(
      await startServiceSystem({
        stack,
        entries: ['identity', 'directory', 'gateway'],
        namespacePrefix: 'x',
        env,
        spawn: start,
      }),
    );
    systems.push(await startServiceSystem({ stack, entries: ['gateway'], namespacePrefix: 'x', env, spawn: start }));
    const replicas = systems.map((system) => system.gatewayUrl);
    const admin = keycloakAdminOf(stack);
    logins.staff = await createTemporaryLogin(admin, 'staff', { roles: ['viewer'], usernamePrefix: 'bench-revoke' });

    const staffToken = await devAccessToken(stack.KEYCLOAK_URL ?? '', 'staffAdmin');
    const staffCall = async <T>(path: string, body: unknown = {}) => {
      const response = await fetch(`${replicas[0]}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    // The portal contact: its access enabled by staff, as a person would do it.
    const email = `rita.${namespace}@customer.test`;
    const account = await staffCall<{ id: string }>('/admin/accounts', {
      number: `RV-${namespace}`,
      name: `Revocation bench ${namespace}`,
    });
    const contact = await staffCall<{ id: string }>(`/admin/accounts/${account.id}/contacts`, {
      firstName: 'Rita',
      lastName: 'Revoked',
      email,
    });
    const enabled = await staffCall<{ credentials: { password: string } }>(
      `/admin/contacts/${contact.id}/access/enable`,
    );
    const portalToken = async () => {
      const response = await fetch(`${stack.KEYCLOAK_URL}/realms/portal/protocol/openid-connect/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: devCliClientId,
          username: email,
          password: enabled.credentials.password,
        }),
      });
      if (!response.ok) throw new Error(`portal sign-in: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { access_token: string }).access_token;
    };

    const results: Record<string, unknown> = {};
    const summarize = (realm: RevocationRealm, latencies: number[]) => {
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
    };

    // Portal: the real revoke through identity, then re-enable for the next trial.
    const portalLatencies: number[] = [];
    for (let trial = 0; trial < trials; trial++) {
      const token = await portalToken();
      await until(replicas, 'portal', token, 200, 5_000);
      const began = performance.now();
      await staffCall(`/admin/contacts/${contact.id}/access/revoke`);
      await until(replicas, 'portal', token, 401, 10_000);
      portalLatencies.push(performance.now() - began);
      await staffCall(`/admin/contacts/${contact.id}/access/reenable`);
      // A token issued in the same second as the revocation is refused too (iat has whole seconds).
      await sleep(1_100);
    }
    summarize('portal', portalLatencies);

    // Staff: the list entry written directly, as identity writes it.
    const list = await openRevocationList(nats, { entryTtlMs });
    const kv = await nats.jetstream().views.kv(REVOCATION_BUCKET);
    let staffTokenOfLogin = await logins.staff.accessToken();
    let issuedAt = Date.now();
    const staffLatencies: number[] = [];
    for (let trial = 0; trial < trials; trial++) {
      if (Date.now() - issuedAt > 200_000) {
        staffTokenOfLogin = await logins.staff.accessToken();
        issuedAt = Date.now();
      }
      await until(replicas, 'staff', staffTokenOfLogin, 200, 5_000);
      const began = performance.now();
      await list.revoke('staff', logins.staff.subject);
      await until(replicas, 'staff', staffTokenOfLogin, 401, 10_000);
      staffLatencies.push(performance.now() - began);
      await kv.delete(`staff.${logins.staff.subject}`);
    }
    summarize('staff', staffLatencies);
    const result = {
      measuredAt: new Date().toISOString(),
      method:
        'portal: POST /admin/contacts/:id/access/revoke through identity (Keycloak disable + sessions ended + revocation list + directory transition), timed from the request until both replicas answer 401; staff: the revocation-list entry written directly; polled every 5 ms',
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
    await nats.close();
    await stopAll();
  }
}

await main();
