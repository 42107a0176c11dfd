/**
 * Event → bell latency under load: 200 open SSE streams through a real gateway, 100 events/s,
 * p50 / p99 over at least 1,000 events. Processes: gateway, identity (enables the contacts),
 * directory (whom to tell) and notifications (the bell's durable consumer), each its own process on
 * the stack's NATS and PostgreSQL.
 *
 * Setup: 200 recipients, each a contact of its own account with one project, its access enabled by
 * staff through the API (a generated password, signed in with the `portal-cli` password grant), each
 * with its own open `/api/v1/portal/notifications/stream`. The load: `submittals.submittal.sent`
 * envelopes published straight to JetStream (as the submittals service's relay does) at a fixed
 * rate, recipient `i mod 200`, so every stream gets the same share. Latency of one event: from just
 * before its JetStream publish to the arrival of its `notification` frame on the recipient's stream
 * (both `performance.now()` of this process): relay-free path JetStream → consumer → directory →
 * PostgreSQL commit → broadcast → gateway → SSE.
 *
 *   node tests/load/bell-latency.bench.ts              (or: npm run bench:bell)
 *   BELL_BENCH_EVENTS=300 BELL_BENCH_STREAMS=50 node tests/load/bell-latency.bench.ts   (a quick check)
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { connect } from 'nats';
import type { EventData, EventEnvelope } from '@portal/contracts';
import { natsConnectionOptionsOf } from '@portal/kit';
import { isolateTestDatabase } from '@portal/testing';
import { devAccessToken, devCliClientId } from '@portal/deploy/local/dev-logins';
import { openBellStream, type OpenBellStream } from '../support/bell-sse.ts';
import { startServiceSystem } from '../support/service-system.ts';
import { gitCommit, stackEnv, start, stopAll } from './support/measure.ts';

const streamCount = Number(process.env.BELL_BENCH_STREAMS ?? 200);
const eventCount = Number(process.env.BELL_BENCH_EVENTS ?? 1_200);
const eventsPerSecond = Number(process.env.BELL_BENCH_RATE ?? 100);
/** Uncounted events first (connections, JIT, caches), at the same rate. */
const warmupEvents = Number(process.env.BELL_BENCH_WARMUP ?? 100);
/** Setup requests at once; lower it on a loaded machine, where Keycloak answers slowly. */
const setupConcurrency = Number(process.env.BELL_BENCH_SETUP_CONCURRENCY ?? 8);
const resultsFile = join(import.meta.dirname, 'results', 'bell-latency.json');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const round = (ms: number) => Math.round(ms * 10) / 10;

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T, index: number) => Promise<R>) {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T, index);
      }
    }),
  );
  return results;
}

interface Recipient {
  accountId: string;
  projectId: string;
  contactId: string;
  token: string;
  stream?: OpenBellStream;
}

async function main(): Promise<void> {
  const stack = await isolateTestDatabase(stackEnv());
  const run = randomUUID().slice(0, 6).toUpperCase();
  const namespace = `bench-bell-${run.toLowerCase()}`;
  const nats = await connect(natsConnectionOptionsOf(stack));
  const streams: OpenBellStream[] = [];
  try {
    const system = await startServiceSystem({
      stack,
      entries: ['identity', 'directory', 'notifications', 'gateway'],
      namespacePrefix: 'x',
      env: { MOLECULER_NAMESPACE: namespace, GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000' },
      spawn: start,
    });
    const gatewayUrl = system.gatewayUrl;
    const staffToken = await devAccessToken(stack.KEYCLOAK_URL ?? '', 'staffAdmin');
    const staffPost = async <T>(path: string, body: unknown = {}) => {
      for (let attempt = 1; ; attempt++) {
        const response = await fetch(`${gatewayUrl}/api/v1${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        // Setup only: a peer (Keycloak) too slow on a loaded machine answers 503; try again shortly.
        if (response.status === 503 && attempt < 5) {
          await response.body?.cancel();
          await sleep(2000 * attempt);
          continue;
        }
        if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
        return (await response.json()) as T;
      }
    };
    const signIn = async (username: string, password: string) => {
      const response = await fetch(`${stack.KEYCLOAK_URL}/realms/portal/protocol/openid-connect/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'password', client_id: devCliClientId, username, password }),
      });
      if (!response.ok) throw new Error(`portal sign-in: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { access_token: string }).access_token;
    };

    // 200 recipients, each a contact of its own account and project, enabled by staff.
    const setupStarted = performance.now();
    const recipients = await inBatches(
      Array.from({ length: streamCount }, (_, index) => index),
      setupConcurrency,
      async (index): Promise<Recipient> => {
        const number = `BB${run}-${String(index).padStart(3, '0')}`;
        const account = await staffPost<{ id: string }>('/admin/accounts', { number, name: `Bell bench ${number}` });
        const project = await staffPost<{ id: string }>(`/admin/accounts/${account.id}/projects`, {
          code: `P${String(index).padStart(3, '0')}`,
          name: `Bell bench project ${index}`,
        });
        const email = `bell.${run.toLowerCase()}.${index}@customer.test`;
        const contact = await staffPost<{ id: string }>(`/admin/accounts/${account.id}/contacts`, {
          firstName: 'Bell',
          lastName: `Bench ${index}`,
          email,
        });
        const enabled = await staffPost<{ credentials: { password: string } }>(
          `/admin/contacts/${contact.id}/access/enable`,
        );
        return {
          accountId: account.id,
          projectId: project.id,
          contactId: contact.id,
          token: await signIn(email, enabled.credentials.password),
        };
      },
    );
    process.stdout.write(`setup: ${streamCount} recipients in ${round((performance.now() - setupStarted) / 1000)} s\n`);

    // One open stream per recipient. The event's key is the submittal's number, the recipient's
    // index ends its title: the notice reads "New submittal <key>: Bench #<index>".
    const publishedAt = new Map<string, number>();
    const latencies = new Map<string, number>();
    let duplicates = 0;
    let misrouted = 0;
    await inBatches(recipients, 20, async (recipient, index) => {
      recipient.stream = await openBellStream({
        gatewayUrl,
        path: '/portal/notifications/stream',
        token: recipient.token,
        onNotification(notification, arrivedAt) {
          const match = /^New submittal (\S+): Bench #(\d+)$/.exec(notification.title);
          const key = match?.[1] ?? '';
          const sent = publishedAt.get(key);
          if (sent === undefined) return;
          if (Number(match?.[2]) !== index) misrouted += 1;
          if (latencies.has(key)) duplicates += 1;
          else latencies.set(key, arrivedAt - sent);
        },
      });
      if (recipient.stream.status !== 200) throw new Error(`stream ${index}: ${recipient.stream.status}`);
      streams.push(recipient.stream);
    });
    await sleep(500);

    const js = nats.jetstream();
    const envelopeOf = (key: string, recipient: Recipient, recipientIndex: number) => {
      const envelope: EventEnvelope<EventData<'submittals.submittal.sent'>> = {
        id: randomUUID(),
        type: 'submittals.submittal.sent',
        version: 1,
        occurredAt: new Date().toISOString(),
        actor: { kind: 'system', component: 'bell-latency-bench' },
        accountId: recipient.accountId,
        traceId: randomUUID(),
        data: {
          submittalId: randomUUID(),
          accountId: recipient.accountId,
          projectId: recipient.projectId,
          number: key,
          revision: 0,
          title: `Bench #${recipientIndex}`,
          purpose: 'for-review',
          notifyByEmail: false,
          dueDate: null,
          expectedReturnDate: null,
        },
      };
      return envelope;
    };

    /** Publishes `count` events at the fixed rate, round robin over the recipients. */
    const publishBurst = async (label: string, count: number) => {
      const keys: string[] = [];
      const acks: Promise<unknown>[] = [];
      const began = performance.now();
      for (let index = 0; index < count; index++) {
        const due = began + (index * 1000) / eventsPerSecond;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        const recipientIndex = index % streamCount;
        const key = `${label}-${run}-${index}`;
        const envelope = envelopeOf(key, recipients[recipientIndex] as Recipient, recipientIndex);
        keys.push(key);
        publishedAt.set(key, performance.now());
        acks.push(js.publish(envelope.type, JSON.stringify(envelope), { msgID: envelope.id }));
      }
      const seconds = (performance.now() - began) / 1000;
      await Promise.all(acks);
      return { keys, seconds };
    };
    const waitForFrames = async (keys: readonly string[], limitMs: number) => {
      const deadline = performance.now() + limitMs;
      while (performance.now() < deadline && keys.some((key) => !latencies.has(key))) await sleep(50);
      return keys.filter((key) => !latencies.has(key)).length;
    };

    const warmup = await publishBurst('W', warmupEvents);
    const warmupMissing = await waitForFrames(warmup.keys, 30_000);
    process.stdout.write(`warm-up: ${warmupEvents} events, ${warmupMissing} missing\n`);
    const duplicatesBefore = duplicates;

    const measured = await publishBurst('M', eventCount);
    const missing = await waitForFrames(measured.keys, 120_000);
    const lastArrival = Math.max(
      ...measured.keys.map((key) => (publishedAt.get(key) ?? 0) + (latencies.get(key) ?? 0)),
    );
    const drainSeconds = (lastArrival - (publishedAt.get(measured.keys[0] ?? '') ?? 0)) / 1000;
    await sleep(1_000); // late duplicates, if any, would arrive by now
    const sorted = measured.keys
      .map((key) => latencies.get(key))
      .filter((ms): ms is number => ms !== undefined)
      .sort((a, b) => a - b);
    const openAtEnd = streams.filter((stream) => stream.frames.length > 0).length;
    const results = {
      events: eventCount,
      delivered: sorted.length,
      missing,
      duplicates: duplicates - duplicatesBefore,
      misrouted,
      publishSeconds: round(measured.seconds),
      achievedEventsPerSecond: round(eventCount / measured.seconds),
      // From the first publish to the last frame: below the offered rate, the bell fell behind.
      drainSeconds: round(drainSeconds),
      deliveredPerSecond: round(sorted.length / drainSeconds),
      p50Ms: round(percentile(sorted, 50)),
      p90Ms: round(percentile(sorted, 90)),
      p99Ms: round(percentile(sorted, 99)),
      maxMs: round(sorted.at(-1) ?? NaN),
      minMs: round(sorted[0] ?? NaN),
      meanMs: round(sorted.reduce((sum, ms) => sum + ms, 0) / Math.max(1, sorted.length)),
    };
    process.stdout.write(`${JSON.stringify(results)}\n`);
    if (process.env.BELL_BENCH_DEBUG) process.stdout.write(system.outputs());
    const result = {
      measuredAt: new Date().toISOString(),
      method:
        "submittals.submittal.sent envelopes published to JetStream at a fixed rate, round robin over the recipients (one contact per account and project, one open /api/v1/portal/notifications/stream each, read with fetch); latency from just before the publish to the notification frame on the recipient's stream; gateway, identity, directory and notifications as separate processes",
      machine: { cpus: cpus().length, loadAverage: loadavg().map((value) => Math.round(value * 100) / 100) },
      node: process.version,
      streams: streamCount,
      streamsWithFrames: openAtEnd,
      eventsPerSecond,
      warmupEvents,
      results,
      commit: gitCommit(),
    };
    await mkdir(dirname(resultsFile), { recursive: true });
    await writeFile(resultsFile, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`written to ${resultsFile}\n`);
    if (missing > 0 || results.duplicates > 0 || misrouted > 0) process.exitCode = 1;
  } finally {
    for (const stream of streams) stream.close();
    await nats.close();
    await stopAll();
  }
}

await main();
