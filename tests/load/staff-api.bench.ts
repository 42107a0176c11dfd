/**
 * Staff API throughput: the real gateway and directory (separate processes over NATS, then one
 * all-in-one process) next to a bare `node:http` server answering a fixed JSON body of the same size
 * as a page of 25 accounts, all measured with autocannon in one run on 127.0.0.1. Figures are
 * reported as ratios to that baseline, measured in the same run on the same machine.
 *
 *   node tests/load/staff-api.bench.ts            (or: npm run bench:api)
 *   STAFF_API_BENCH_SECONDS=5 node tests/load/staff-api.bench.ts   (a quicker run)
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort, isolateTestDatabase, spawnNode, waitForHttp, type NodeProcess } from '@portal/testing';
import { componentNames, repoRoot } from '@portal/deploy/local/config';
import { devAccessToken } from '@portal/deploy/local/dev-logins';
import { liveRecorded } from '@portal/deploy/local/proc';
import { startServiceSystem, type ServiceEntry, type ServiceSystem } from '../support/service-system.ts';

const seconds = Number(process.env.STAFF_API_BENCH_SECONDS ?? 10);
/** Writes run shorter: every request leaves an account, an audit entry and an outbox event behind. */
const writeSeconds = Math.max(2, Math.round(seconds / 2));
const warmupSeconds = 2;
const connections = Number(process.env.STAFF_API_BENCH_CONNECTIONS ?? 20);
const seedAccounts = 500;
/** Whole run, start-up and seeding included; past it everything started is stopped and the run fails. */
const runBudgetMs = 170_000;
const resultsFile = join(import.meta.dirname, 'results', 'staff-api.json');
const loopback = '127.0.0.1';

export interface Measurement {
  name: string;
  request: string;
  seconds: number;
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** CPU time of the processes under test per request (user + system), in ms. */
  serverCpuMsPerRequest: number;
  /** CPU time of this process (the load generator) per request, in ms. */
  loadCpuMsPerRequest: number;
  /** CPU time of the stack's PostgreSQL (postmaster and its backends) per request, in ms. */
  postgresCpuMsPerRequest: number;
  /** CPU time of the stack's NATS server per request, in ms. */
  natsCpuMsPerRequest: number;
}

interface Target {
  name: string;
  request: string;
  url: string;
  processes: readonly NodeProcess[];
  options?: Partial<autocannon.Options>;
  duration?: number;
  warmup?: boolean;
}

const started = new Set<NodeProcess>();

async function stopAll(): Promise<void> {
  await Promise.all([...started].map((p) => p.stop(10_000)));
  started.clear();
}

function start(name: string, script: string, env: Record<string, string>): NodeProcess {
  const child = spawnNode(name, script, env);
  started.add(child);
  return child;
}

async function stop(processes: readonly NodeProcess[]): Promise<void> {
  await Promise.all(processes.map((p) => p.stop(10_000)));
  for (const p of processes) started.delete(p);
}

/** Connection settings of the running native stack, as recorded in .local/stack.json. */
function stackEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of componentNames) Object.assign(env, liveRecorded(name)?.env ?? {});
  const missing = ['PG_ADMIN_URL', 'NATS_URL', 'KEYCLOAK_URL', 'S3_ENDPOINT', 'SMTP_URL'].filter((key) => !env[key]);
  if (missing.length > 0)
    throw new Error(`the local stack is not running (missing ${missing.join(', ')}): npm run infra`);
  return env;
}

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** user + system CPU of a process so far, in ms (from /proc; 0 once it is gone). */
function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / clockTicks) * 1000;
  } catch {
    return 0;
  }
}

const serverCpuMs = (processes: readonly NodeProcess[]) => processes.reduce((sum, p) => sum + cpuMsOf(p.child.pid), 0);
/** A process and its direct children (PostgreSQL's backends), by scanning /proc. */
function treeCpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  let total = cpuMsOf(pid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) total += cpuMsOf(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

const infraCpuMs = () => ({
  postgres: treeCpuMs(liveRecorded('postgres')?.pid),
  nats: cpuMsOf(liveRecorded('nats')?.pid),
});

const ownCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

interface Run {
  result: autocannon.Result;
  /** Latency of the 2xx answers in µs: autocannon's own histogram keeps whole milliseconds only. */
  latencyUs: RecordableHistogram;
}

async function cannon(target: Target, duration: number): Promise<Run> {
  const latencyUs = createHistogram();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: target.url, connections, duration, timeout: 10, ...target.options },
      (error: Error | null, result: autocannon.Result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300) latencyUs.record(Math.max(1, Math.round(responseTimeMs * 1000)));
    });
  });
  return { result, latencyUs };
}

const msAt = (histogram: RecordableHistogram, percentile: number) =>
  Math.round(histogram.percentile(percentile) / 10) / 100;

async function measure(target: Target): Promise<Measurement> {
  if (target.warmup !== false) await cannon(target, warmupSeconds);
  const duration = target.duration ?? seconds;
  const cpuBefore = serverCpuMs(target.processes);
  const ownBefore = ownCpuMs();
  const infraBefore = infraCpuMs();
  const { result, latencyUs } = await cannon(target, duration);
  const [cpuAfter, ownAfter, infraAfter] = [serverCpuMs(target.processes), ownCpuMs(), infraCpuMs()];
  const requests = result.requests.total;
  const perRequest = (ms: number) => Math.round((ms / Math.max(requests, 1)) * 1000) / 1000;
  const measurement: Measurement = {
    name: target.name,
    request: target.request,
    seconds: duration,
    requests,
    rps: Math.round(result.requests.average),
    p50Ms: msAt(latencyUs, 50),
    p99Ms: msAt(latencyUs, 99),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    serverCpuMsPerRequest: perRequest(cpuAfter - cpuBefore),
    loadCpuMsPerRequest: perRequest(ownAfter - ownBefore),
    postgresCpuMsPerRequest: perRequest(infraAfter.postgres - infraBefore.postgres),
    natsCpuMsPerRequest: perRequest(infraAfter.nats - infraBefore.nats),
  };
  process.stdout.write(
    `  ${target.name}: ${measurement.rps} req/s, p50 ${measurement.p50Ms} ms, p99 ${measurement.p99Ms} ms\n`,
  );
  if (measurement.non2xx > 0 || measurement.errors > 0) {
    throw new Error(`${target.name}: not every request succeeded: ${JSON.stringify(measurement)}`);
  }
  return measurement;
}

/** A page of 25 accounts in the API's shape, for the baseline server to answer with. */
export function samplePage(): string {
  const at = new Date('2026-11-01T08:00:00.000Z').toISOString();
  const items = Array.from({ length: 25 }, (_, i) => ({
    id: randomUUID(),
    number: `BENCH-${String(i).padStart(5, '0')}`,
    name: `Benchmark Customer ${i} GmbH`,
    kind: 'customer',
    classId: null,
    consolidatedAccountId: null,
    archivedAt: null,
    createdAt: at,
    updatedAt: at,
  }));
  return JSON.stringify({ items, nextCursor: 'eyJzb3J0IjoiQkVOQ0gtMDAwMjQiLCJpZCI6IjAwMDAwMDAwIn0' });
}

/** Child: the floor, a bare node:http server answering one fixed JSON body. */
async function baselineServer(port: number, body: string): Promise<void> {
  const payload = Buffer.from(body);
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length });
    response.end(payload);
  });
  await new Promise<void>((resolve) => server.listen(port, loopback, resolve));
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

/** Starts `entries` with the stack's settings in a namespace of their own; the bench tracks the processes. */
function startSystem(stack: Record<string, string>, entries: readonly ServiceEntry[]): Promise<ServiceSystem> {
  return startServiceSystem({
    stack,
    entries,
    namespacePrefix: 'bench',
    env: { GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000' },
    spawn: start,
  });
}

async function api(url: string, token: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, text: await response.text() };
}

/** Seeds accounts through the API itself (10 at a time) and returns their ids. */
async function seed(gatewayUrl: string, token: string, run: string): Promise<string[]> {
  const ids: string[] = [];
  for (let batch = 0; batch < seedAccounts; batch += 10) {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api(`${gatewayUrl}/api/v1/admin/accounts`, token, {
          method: 'POST',
          body: JSON.stringify({ number: `B${run}-S${batch + i}`, name: `Benchmark seed ${run} ${batch + i}` }),
        }),
      ),
    );
    for (const answer of answers) {
      if (answer.status !== 201) throw new Error(`seeding: ${answer.status} ${answer.text}`);
      ids.push((JSON.parse(answer.text) as { id: string }).id);
    }
  }
  return ids;
}

const listPath = '/api/v1/admin/accounts?limit=25';

async function measureSplit(stack: Record<string, string>, run: string) {
  const system = await startSystem(stack, ['directory', 'gateway']);
  try {
    const writer = await devAccessToken(stack.KEYCLOAK_URL!, 'staffManager');
    const ids = await seed(system.gatewayUrl, writer, run);
    const reader = await devAccessToken(stack.KEYCLOAK_URL!, 'staffViewer');
    const page = await api(`${system.gatewayUrl}${listPath}`, reader);
    if (page.status !== 200) throw new Error(`list: ${page.status} ${page.text}`);
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });

    const list = await measure({
      name: 'list (gateway + directory, NATS)',
      request: `GET ${listPath}`,
      url: `${system.gatewayUrl}${listPath}`,
      processes: system.processes,
      options: { headers: auth(reader) },
    });
    let nextId = 0;
    const get = await measure({
      name: 'get one (gateway + directory, NATS)',
      request: 'GET /api/v1/admin/accounts/:id',
      url: system.gatewayUrl,
      processes: system.processes,
      options: {
        headers: auth(reader),
        requests: [
          { setupRequest: (request) => ({ ...request, path: `/api/v1/admin/accounts/${ids[nextId++ % ids.length]}` }) },
        ],
      },
    });
    let nextNumber = 0;
    const create = await measure({
      name: 'create (gateway + directory, NATS)',
      request: 'POST /api/v1/admin/accounts',
      url: `${system.gatewayUrl}/api/v1/admin/accounts`,
      processes: system.processes,
      duration: writeSeconds,
      warmup: false,
      options: {
        method: 'POST',
        headers: { ...auth(writer), 'content-type': 'application/json' },
        requests: [
          {
            setupRequest: (request) => {
              const n = nextNumber++;
              return {
                ...request,
                body: JSON.stringify({ number: `B${run}-W${n}`, name: `Benchmark write ${run} ${n}` }),
              };
            },
          },
        ],
      },
    });
    return { list, get, create, pageBytes: Buffer.byteLength(page.text), seeded: ids.length, written: nextNumber };
  } finally {
    await stop(system.processes);
  }
}

async function measureAllInOne(stack: Record<string, string>): Promise<Measurement> {
  const system = await startSystem(stack, ['all-in-one']);
  try {
    const reader = await devAccessToken(stack.KEYCLOAK_URL!, 'staffViewer');
    return await measure({
      name: 'list (all-in-one, local call)',
      request: `GET ${listPath}`,
      url: `${system.gatewayUrl}${listPath}`,
      processes: system.processes,
      options: { headers: { authorization: `Bearer ${reader}` } },
    });
  } finally {
    await stop(system.processes);
  }
}

async function postgresVersion(adminUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query<{ version: string }>('select version()')).rows[0]?.version ?? 'unknown';
  } finally {
    await client.end();
  }
}

const ratio = (value: number, base: number) => Math.round((value / base) * 100) / 100;

async function main(): Promise<void> {
  // The suites' own database, so a benchmark run leaves the running system's data alone.
  const stack = await isolateTestDatabase(stackEnv());
  const run = randomUUID().slice(0, 6).toUpperCase();
  const body = samplePage();
  const watchdog = setTimeout(() => {
    process.stderr.write(`staff API benchmark: over its ${runBudgetMs / 1000} s budget, stopping\n`);
    void stopAll().finally(() => process.exit(1));
  }, runBudgetMs);
  watchdog.unref();
  const began = performance.now();
  const loadBefore = loadavg().map((value) => Math.round(value * 100) / 100);
  process.stdout.write(
    `staff API benchmark: ${connections} connections, ${seconds} s per read run, ${writeSeconds} s writes (run ${run})\n`,
  );
  try {
    const port = await freePort();
    const baselineProcess = start('baseline', import.meta.filename, {
      PATH: process.env.PATH ?? '',
      STAFF_API_BENCH_ROLE: 'baseline',
      STAFF_API_BENCH_PORT: String(port),
      STAFF_API_BENCH_BODY: body,
    });
    const baselineUrl = `http://${loopback}:${port}/`;
    let baseline: Measurement;
    try {
      await waitForHttp(baselineUrl, 200, 10_000, () => baselineProcess.output());
      baseline = await measure({
        name: 'baseline (bare node:http)',
        request: 'GET / (fixed body)',
        url: baselineUrl,
        processes: [baselineProcess],
      });
    } finally {
      await stop([baselineProcess]);
    }

    const split = await measureSplit(stack, run);
    const allInOne = await measureAllInOne(stack);

    const rows = [baseline, split.list, split.get, split.create, allInOne].map((m) => ({
      ...m,
      rpsRatio: ratio(m.rps, baseline.rps),
      p50Ratio: ratio(m.p50Ms, baseline.p50Ms),
      p99Ratio: ratio(m.p99Ms, baseline.p99Ms),
    }));
    const result = {
      measuredAt: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryMiB: Math.round(totalmem() / 2 ** 20),
        /** 1/5/15-minute load averages before and after: anything else running competes for the same cores. */
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadavg().map((value) => Math.round(value * 100) / 100),
      },
      node: process.version,
      postgres: await postgresVersion(stack.PG_ADMIN_URL!),
      settings: { connections, seconds, writeSeconds, warmupSeconds, loadGenerator: 'autocannon, in this process' },
      bodyBytes: { baseline: Buffer.byteLength(body), accountsPage: split.pageBytes },
      seededAccounts: split.seeded,
      accountsWritten: split.written,
      accountNumberPrefix: `B${run}-`,
      runs: rows,
      natsHop: { listRpsAllInOneOverSplit: ratio(allInOne.rps, split.list.rps) },
      wallSeconds: Math.round((performance.now() - began) / 1000),
      commit: gitCommit(),
    };
    await mkdir(dirname(resultsFile), { recursive: true });
    await writeFile(resultsFile, `${JSON.stringify(result, null, 2)}\n`);

    const columns: [string, number, (row: (typeof rows)[number]) => string][] = [
      ['run', -38, (row) => row.name],
      ['req/s', 7, (row) => String(row.rps)],
      ['p50 ms', 7, (row) => row.p50Ms.toFixed(2)],
      ['p99 ms', 7, (row) => row.p99Ms.toFixed(2)],
      ['rps ×', 6, (row) => row.rpsRatio.toFixed(2)],
      ['p50 ×', 6, (row) => row.p50Ratio.toFixed(1)],
      ['CPU ms/req: svc', 16, (row) => row.serverCpuMsPerRequest.toFixed(3)],
      ['pg', 6, (row) => row.postgresCpuMsPerRequest.toFixed(3)],
      ['nats', 6, (row) => row.natsCpuMsPerRequest.toFixed(3)],
      ['load', 6, (row) => row.loadCpuMsPerRequest.toFixed(3)],
    ];
    const cell = (text: string, width: number) => (width < 0 ? text.padEnd(-width) : text.padStart(width));
    process.stdout.write(`\n${columns.map(([title, width]) => cell(title, width)).join(' ')}\n`);
    for (const row of rows) {
      process.stdout.write(`${columns.map(([, width, value]) => cell(value(row), width)).join(' ')}\n`);
    }
    process.stdout.write(
      `all-in-one / split list throughput: ${result.natsHop.listRpsAllInOneOverSplit}×; ` +
        `bodies ${result.bodyBytes.baseline} B (baseline) vs ${result.bodyBytes.accountsPage} B (page)\n` +
        `written to ${resultsFile} (${result.wallSeconds} s)\n`,
    );
  } finally {
    clearTimeout(watchdog);
    await stopAll();
  }
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', cwd: repoRoot }).trim();
  } catch {
    return null;
  }
}

if (process.env.STAFF_API_BENCH_ROLE === 'baseline') {
  await baselineServer(Number(process.env.STAFF_API_BENCH_PORT), process.env.STAFF_API_BENCH_BODY ?? '{}');
} else {
  await main();
}
