import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Migration } from '@mikro-orm/migrations';
import { connect, type NatsConnection } from 'nats';
import { Client } from 'pg';
import { stackEnv } from '@portal/testing';
import {
  createServiceOrm,
  durableEventsMigrations,
  ensureServiceStream,
  migrateToLatest,
  natsConnectionOptionsOf,
  type ServiceOrm,
  streamNameOf,
} from '@portal/kit';

// The proof: real producer, relay and consumer processes, killed with SIGKILL mid-stream,
// still apply every committed event exactly once.

const eventCount = 2000;
const testTimeoutMs = 150_000;
const settleTimeoutMs = 120_000;

class ProofTablesMigration extends Migration {
  static migrationName = '20260101000001_proof_tables';
  override up(): void {
    this.addSql('create table widget (id text primary key, n int not null)');
    this.addSql('create table applied (event_id uuid primary key, times int not null)');
  }
}

const suffix = randomBytes(4).toString('hex');
const schema = `durable_proof_${suffix}`;
const service = `durableproof${suffix}`;
const durableName = 'proof-consumer';
let databaseUrl = '';
let natsUrl = '';
/** The stack's NATS_USER/NATS_PASSWORD, handed to the children with the URL. */
let natsCredentials: Record<string, string> = {};
let orm: ServiceOrm | undefined;
let nats: NatsConnection | undefined;

interface Child {
  name: string;
  process: ChildProcess;
  stderr: string[];
  killedByTest: boolean;
  exit: Promise<number | null>;
}
const children: Child[] = [];

function startChild(name: string, fixture: string, extraEnv: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, [fileURLToPath(new URL(fixture, import.meta.url))], {
    // Explicit: the children see only what they need.
    env: {
      DATABASE_URL: databaseUrl,
      DB_SCHEMA: schema,
      SERVICE: service,
      NATS_URL: natsUrl,
      ...natsCredentials,
      EVENT_COUNT: String(eventCount),
      DURABLE_NAME: durableName,
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const entry = { name, process: child, stderr, killedByTest: false, exit };
  children.push(entry);
  return entry;
}

async function kill(child: Child): Promise<void> {
  child.killedByTest = true;
  child.process.kill('SIGKILL');
  await child.exit;
}

/** A child that died on its own ends the test at once, with its stderr, instead of a timeout. */
function assertNoCrash(): void {
  for (const child of children) {
    const code = child.process.exitCode;
    const crashed = !child.killedByTest && ((code !== null && code !== 0) || child.process.signalCode !== null);
    if (crashed)
      throw new Error(`${child.name} exited with ${code ?? child.process.signalCode}:\n${child.stderr.join('')}`);
  }
}

async function count(sql: string): Promise<number> {
  const [row] = await orm!.em.fork().execute<{ count: string }[]>(sql);
  return Number(row?.count ?? 0);
}

async function waitUntil(what: string, deadline: number, check: () => Promise<boolean>): Promise<void> {
  for (;;) {
    assertNoCrash();
    if (await check()) return;
    if (Date.now() > deadline) {
      const logs = children.map((child) => `--- ${child.name}\n${child.stderr.join('').slice(-2000)}`).join('\n');
      throw new Error(`Timed out waiting for ${what}.\n${logs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  const env = stackEnv();
  databaseUrl = env.PG_ADMIN_URL ?? '';
  natsUrl = env.NATS_URL ?? '';
  natsCredentials =
    env.NATS_USER && env.NATS_PASSWORD ? { NATS_USER: env.NATS_USER, NATS_PASSWORD: env.NATS_PASSWORD } : {};
  if (!databaseUrl || !natsUrl) throw new Error('PG_ADMIN_URL and NATS_URL must come from the stack.');
  await adminQuery(`create schema ${schema}`);
  orm = await createServiceOrm({ schema, databaseUrl, migrations: [...durableEventsMigrations, ProofTablesMigration] });
  await migrateToLatest(orm);
  nats = await connect(natsConnectionOptionsOf(env));
  await ensureServiceStream(await nats.jetstreamManager(), service);
});

afterAll(async () => {
  for (const child of children) {
    if (child.process.exitCode === null && child.process.signalCode === null) {
      child.killedByTest = true;
      child.process.kill('SIGKILL');
      await child.exit;
    }
  }
  if (nats) {
    const jsm = await nats.jetstreamManager();
    await jsm.streams.delete(streamNameOf(service)).catch(() => false);
    await nats.close();
  }
  await orm?.close();
  if (databaseUrl) await adminQuery(`drop schema if exists ${schema} cascade`);
});

it(
  'applies every committed event exactly once although the relay and the consumer are SIGKILLed mid-stream',
  async () => {
    const startedAt = Date.now();
    const deadline = startedAt + settleTimeoutMs;
    const published = () => count('select count(*) from outbox where published_at is not null');
    const applied = () => count('select count(*) from applied');

    // consumer#1 kills itself after committing event 500 but before acking it.
    const crashingConsumer = startChild('consumer#1', './consumer.fixture.ts', { CRASH_AFTER_COMMIT_OF: '500' });
    crashingConsumer.killedByTest = true;
    const relayA = startChild('relay-a#1', './relay.fixture.ts');
    startChild('relay-b', './relay.fixture.ts');
    const producer = startChild('producer', './producer.fixture.ts');

    await waitUntil(
      'a quarter of the events to be published',
      deadline,
      async () => (await published()) >= eventCount / 4,
    );
    await kill(relayA);
    const publishedAtRelayKill = await published();
    startChild('relay-a#2', './relay.fixture.ts');

    await waitUntil(
      'consumer#1 to crash between commit and ack',
      deadline,
      async () => crashingConsumer.process.signalCode === 'SIGKILL',
    );
    const appliedAtConsumerCrash = await applied();
    const consumer = startChild('consumer#2', './consumer.fixture.ts');

    await waitUntil('70% of the events to be applied', deadline, async () => (await applied()) >= eventCount * 0.7);
    await kill(consumer);
    const appliedAtConsumerKill = await applied();
    startChild('consumer#3', './consumer.fixture.ts');

    await waitUntil('the producer to finish', deadline, async () => producer.process.exitCode === 0);
    await waitUntil(`all ${eventCount} events to be applied`, deadline, async () => (await applied()) >= eventCount);
    const settledMs = Date.now() - startedAt;

    // Both kills happened mid-stream, or the test proves nothing.
    expect(publishedAtRelayKill).toBeLessThan(eventCount);
    expect(appliedAtConsumerCrash).toBeLessThan(eventCount);
    expect(appliedAtConsumerKill).toBeLessThan(eventCount);

    // Let late redeliveries (held by the killed consumer) arrive before judging "exactly once".
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const [totals] = await orm!.em
      .fork()
      .execute<{ applied: string; max_times: number; missing: string; stray: string }[]>(
        `select
           (select count(*) from applied) as applied,
           (select max(times) from applied) as max_times,
           (select count(*) from outbox o where not exists (select 1 from applied a where a.event_id = o.id)) as missing,
           (select count(*) from applied a where not exists (select 1 from outbox o where o.id = a.event_id)) as stray`,
      );
    expect({
      widgets: await count('select count(*) from widget'),
      outbox: await count('select count(*) from outbox'),
      unpublished: await count('select count(*) from outbox where published_at is null'),
      applied: Number(totals?.applied),
      maxTimes: totals?.max_times,
      missing: Number(totals?.missing),
      stray: Number(totals?.stray),
      inbox: await count('select count(*) from inbox'),
      deadLetters: await count('select count(*) from dead_letter'),
    }).toEqual({
      widgets: eventCount,
      outbox: eventCount,
      unpublished: 0,
      applied: eventCount,
      maxTimes: 1,
      missing: 0,
      stray: 0,
      inbox: eventCount,
      deadLetters: 0,
    });
    const stream = await (await nats!.jetstreamManager()).streams.info(streamNameOf(service));
    expect(stream.state.messages).toBe(eventCount);
    process.stdout.write(
      `[proof] ${eventCount} events settled in ${settledMs} ms; relay killed at ${publishedAtRelayKill} published, consumer crashed after commit at ${appliedAtConsumerCrash} and killed at ${appliedAtConsumerKill} applied\n`,
    );
  },
  testTimeoutMs,
);
