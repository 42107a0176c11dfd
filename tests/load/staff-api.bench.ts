/**
 * Staff API throughput: the real gateway and directory (separate processes over NATS, then one
 * all-in-one process) next to a bare `node:http` server answering a fixed JSON body of the same size
 * as a page of 25 accounts, all measured with autocannon in one run on 127.0.0.1. Figures are
 * reported as ratios to that baseline, measured in the same run on the same machine.
 *
 *   node tests/load/staff-api.bench.ts            (or: npm run bench:api)
 *   STAFF_API_BENCH_SECONDS=5 node tests/load/staff-api.bench.ts   (a quicker run)
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, isolateTestDatabase, waitForHttp } from '@portal/testing';
import { devAccessToken } from '@portal/deploy/local/dev-logins';
import { startServiceSystem, type ServiceEntry, type ServiceSystem } from '../support/service-system.ts';
import {
  gitCommit,
  measure as measureWith,
  machineFacts,
  postgresVersion,
  ratio,
  stackEnv,
  start,
  stop,
  stopAll,
  withRatios,
  type Measurement,
} from './support/measure.ts';

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
const measure = (target: Parameters<typeof measureWith>[0]) =>
  measureWith(target, { connections, seconds, warmupSeconds });

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

    const rows = withRatios([baseline, split.list, split.get, split.create, allInOne], baseline);
    const result = {
      measuredAt: new Date().toISOString(),
      machine: machineFacts(loadBefore),
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

if (process.env.STAFF_API_BENCH_ROLE === 'baseline') {
  await baselineServer(Number(process.env.STAFF_API_BENCH_PORT), process.env.STAFF_API_BENCH_BODY ?? '{}');
} else {
  await main();
}
