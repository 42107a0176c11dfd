/**
 * Portal API throughput: `GET /api/v1/portal/projects` through the real gateway and directory
 * (two processes over NATS, real portal tokens, principal cache) next to a bare fastify + pg
 * endpoint that runs the directory's own statement (`portalProjectPageSql`) for the same contacts,
 * on the same data (10,000 projects, 1,000 contacts), in the same run. Figures are ratios to that
 * baseline; nothing here is asserted as an absolute time.
 *
 *   node tests/load/portal-api.bench.ts                      (or: npm run bench:portal)
 *   PORTAL_API_BENCH_SECONDS=3 node tests/load/portal-api.bench.ts   (a quicker run)
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import Fastify from 'fastify';
import pg from 'pg';
import { pageFromRows } from '@portal/kit';
import { portalProjectPageSql, toPortalProject, type PortalProjectRow } from '@portal/directory/portal-queries';
import {
  createTemporaryLogin,
  freePort,
  isolateTestDatabase,
  keycloakAdminOf,
  waitForHttp,
  type TemporaryLogin,
} from '@portal/testing';
import { startServiceSystem } from '../support/service-system.ts';
import {
  gitCommit,
  machineFacts,
  measure,
  postgresVersion,
  ratio,
  stackEnv,
  start,
  stop,
  stopAll,
  withRatios,
} from './support/measure.ts';

const settings = {
  seconds: Number(process.env.PORTAL_API_BENCH_SECONDS ?? 10),
  connections: Number(process.env.PORTAL_API_BENCH_CONNECTIONS ?? 20),
  warmupSeconds: 2,
};
const shape = { accounts: 100, sitesPerAccount: 10, projectsPerAccount: 100, contactsPerAccount: 10 };
/** Contacts that sign in (one Keycloak login each); requests cycle through them. */
const signedInContacts = 20;
const runBudgetMs = 240_000;
const resultsFile = join(import.meta.dirname, 'results', 'portal-api.json');
const loopback = '127.0.0.1';
const path = '/api/v1/portal/projects';

/** The directory's schema through its own role, as the service connects. */
const directoryPool = (url: string) =>
  new pg.Pool({ connectionString: url, max: 10, options: '-c search_path=directory' });

/** `?` placeholders (MikroORM's `execute`) as pg's `$n`. */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/**
 * 100 accounts × (10 sites, 100 projects, 10 contacts), written straight into the directory's
 * tables (labelled benchmark data). 5 % of projects hidden and 5 % completed; of each account's
 * contacts, 7 see all, 2 a selection (a site and five projects), 1 is tied to a site.
 */
async function seed(pool: pg.Pool, run: string): Promise<{ contactIds: string[] }> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `insert into account (id, number, name, kind)
       select gen_random_uuid(), $1 || lpad(g::text, 3, '0'), 'Bench portal ' || $1 || ' ' || g, 'customer'
       from generate_series(1, $2::int) g`,
      [`BP${run}-`, shape.accounts],
    );
    const accounts = `(select id from account where number like $1)`;
    await client.query(
      `insert into site (id, account_id, code, name)
       select gen_random_uuid(), a.id, 'S' || g, 'Site ' || g from ${accounts} a, generate_series(1, $2::int) g`,
      [`BP${run}-%`, shape.sitesPerAccount],
    );
    await client.query(
      `insert into project (id, account_id, site_id, code, name, hidden, completed)
       select gen_random_uuid(), a.id,
         case when g % 2 = 0 then (select s.id from site s where s.account_id = a.id and s.code = 'S' || (1 + g % $3::int)) end,
         'P' || lpad(g::text, 4, '0'), 'Project ' || g || ' of ' || a.id, g % 20 = 0, g % 20 = 1
       from ${accounts} a, generate_series(1, $2::int) g`,
      [`BP${run}-%`, shape.projectsPerAccount, shape.sitesPerAccount],
    );
    await client.query(
      `insert into contact (id, account_id, site_id, first_name, last_name, email, access_status, access_scope, enabled_at)
       select gen_random_uuid(), a.id,
         case when g = 10 then (select s.id from site s where s.account_id = a.id and s.code = 'S1') end,
         'Bench', 'Contact ' || g, lower('c' || g || '-' || a.id || '@' || $3 || '.bench.test'), 'enabled',
         case when g in (8, 9) then 'selected' else 'all' end, now()
       from ${accounts} a, generate_series(1, $2::int) g`,
      [`BP${run}-%`, shape.contactsPerAccount, run],
    );
    await client.query(
      `insert into access_scope_site (contact_id, site_id)
       select c.id, s.id from contact c join site s on s.account_id = c.account_id and s.code = 'S2'
       where c.access_scope = 'selected' and c.email like $1`,
      [`%@${run.toLowerCase()}.bench.test`],
    );
    await client.query(
      `insert into access_scope_project (contact_id, project_id)
       select c.id, p.id from contact c join project p on p.account_id = c.account_id and p.code in ('P0003', 'P0010', 'P0031', 'P0050', 'P0077')
       where c.access_scope = 'selected' and c.email like $1`,
      [`%@${run.toLowerCase()}.bench.test`],
    );
    const { rows } = await client.query<{ id: string }>(`select id from contact where email like $1 order by id`, [
      `%@${run.toLowerCase()}.bench.test`,
    ]);
    await client.query('commit');
    // Fresh statistics, as autovacuum would gather them on a running installation.
    await client.query('analyze account, site, project, contact, access_scope_site, access_scope_project');
    return { contactIds: rows.map((row) => row.id) };
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

/** Child: the floor, fastify + pg running the directory's statement for the contact in `x-contact-id`. */
async function baselineServer(port: number, databaseUrl: string): Promise<void> {
  const pool = directoryPool(databaseUrl);
  const app = Fastify({ logger: false });
  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/portal/projects', async (request) => {
    const contactId = String(request.headers['x-contact-id']);
    const { sql, params } = portalProjectPageSql(contactId, { limit: 25 });
    const { rows } = await pool.query<PortalProjectRow>(numbered(sql), params);
    return pageFromRows(rows, 25, toPortalProject, (row) => [row.sort_key, row.id]);
  });
  await app.listen({ port, host: loopback });
  process.once('SIGTERM', () => void app.close().then(() => pool.end().then(() => process.exit(0))));
}

async function main(): Promise<void> {
  const stack = await isolateTestDatabase(stackEnv());
  const run = randomUUID().slice(0, 6).toUpperCase();
  const watchdog = setTimeout(() => {
    process.stderr.write(`portal API benchmark: over its ${runBudgetMs / 1000} s budget, stopping\n`);
    void stopAll().finally(() => process.exit(1));
  }, runBudgetMs);
  watchdog.unref();
  const began = performance.now();
  const loadBefore = loadavg().map((value) => Math.round(value * 100) / 100);
  process.stdout.write(
    `portal API benchmark: ${settings.connections} connections, ${settings.seconds} s per run (run ${run})\n`,
  );
  const logins: TemporaryLogin[] = [];
  const pool = directoryPool(stack.DIRECTORY_DATABASE_URL ?? '');
  try {
    // The directory migrates its schema as it starts; the data goes in afterwards.
    const system = await startServiceSystem({
      stack,
      entries: ['directory', 'gateway'],
      namespacePrefix: 'bench-portal',
      env: { GATEWAY_RATE_LIMIT_PER_MINUTE: '10000000' },
      spawn: start,
    });
    const seeded = await seed(pool, run);
    const totals = (
      await pool.query<{ projects: string; contacts: string }>(
        `select (select count(*) from project p join account a on a.id = p.account_id where a.number like $1) as projects,
                (select count(*) from contact c join account a on a.id = c.account_id where a.number like $1) as contacts`,
        [`BP${run}-%`],
      )
    ).rows[0];
    // Every 50th contact signs in: a Keycloak login of its own, linked as identity would link it.
    const chosen = seeded.contactIds.filter((_, index) => index % 50 === 0).slice(0, signedInContacts);
    const admin = keycloakAdminOf(stack);
    for (const contactId of chosen) {
      const login = await createTemporaryLogin(admin, 'portal', { usernamePrefix: 'bench-portal' });
      logins.push(login);
      await pool.query('update contact set identity_user_id = $1 where id = $2', [login.subject, contactId]);
    }
    const tokens = await Promise.all(logins.map((login) => login.accessToken()));

    const baselinePort = await freePort();
    const baselineProcess = start('fastify-baseline', import.meta.filename, {
      PATH: process.env.PATH ?? '',
      PORTAL_API_BENCH_ROLE: 'baseline',
      PORTAL_API_BENCH_PORT: String(baselinePort),
      PORTAL_API_BENCH_DATABASE_URL: stack.DIRECTORY_DATABASE_URL ?? '',
    });
    const baselineUrl = `http://${loopback}:${baselinePort}/portal/projects`;
    await waitForHttp(`http://${loopback}:${baselinePort}/healthz`, 200, 15_000, () => baselineProcess.output());

    // Same contacts, same answers: the gateway's body must equal the bare endpoint's.
    let pageBytes = 0;
    for (const [index, contactId] of chosen.entries()) {
      const [viaGateway, bare] = await Promise.all([
        fetch(`${system.gatewayUrl}${path}`, { headers: { authorization: `Bearer ${tokens[index]}` } }),
        fetch(baselineUrl, { headers: { 'x-contact-id': contactId } }),
      ]);
      const [gatewayText, bareText] = [await viaGateway.text(), await bare.text()];
      if (viaGateway.status !== 200 || gatewayText !== bareText) {
        throw new Error(
          `contact ${contactId}: gateway ${viaGateway.status} ${gatewayText.slice(0, 200)} ≠ ${bareText.slice(0, 200)}`,
        );
      }
      pageBytes = Math.max(pageBytes, Buffer.byteLength(gatewayText));
    }

    let nextBaseline = 0;
    const baseline = await measure(
      {
        name: 'baseline (fastify + pg, same SQL)',
        request: 'GET /portal/projects (x-contact-id)',
        url: baselineUrl,
        processes: [baselineProcess],
        options: {
          requests: [
            {
              setupRequest: (request) => ({
                ...request,
                headers: { ...request.headers, 'x-contact-id': chosen[nextBaseline++ % chosen.length] ?? '' },
              }),
            },
          ],
        },
      },
      settings,
    );
    await stop([baselineProcess]);
    let nextGateway = 0;
    const gateway = await measure(
      {
        name: 'gateway + directory (NATS)',
        request: `GET ${path}`,
        url: `${system.gatewayUrl}${path}`,
        processes: system.processes,
        options: {
          requests: [
            {
              setupRequest: (request) => ({
                ...request,
                headers: { ...request.headers, authorization: `Bearer ${tokens[nextGateway++ % tokens.length]}` },
              }),
            },
          ],
        },
      },
      settings,
    );
    await stop(system.processes);

    const runs = withRatios([baseline, gateway], baseline);
    const result = {
      measuredAt: new Date().toISOString(),
      machine: machineFacts(loadBefore),
      node: process.version,
      postgres: await postgresVersion(stack.PG_ADMIN_URL ?? ''),
      settings: { ...settings, loadGenerator: 'autocannon, in this process' },
      data: {
        projects: Number(totals?.projects),
        contacts: Number(totals?.contacts),
        ...shape,
        signedInContacts: chosen.length,
        accountNumberPrefix: `BP${run}-`,
        pageBytes,
      },
      runs,
      ratio: {
        rps: ratio(gateway.rps, baseline.rps),
        p50: ratio(gateway.p50Ms, baseline.p50Ms),
        p99: ratio(gateway.p99Ms, baseline.p99Ms),
      },
      wallSeconds: Math.round((performance.now() - began) / 1000),
      commit: gitCommit(),
    };
    await mkdir(dirname(resultsFile), { recursive: true });
    await writeFile(resultsFile, `${JSON.stringify(result, null, 2)}\n`);
    for (const row of runs) {
      process.stdout.write(
        `${row.name.padEnd(36)} ${String(row.rps).padStart(7)} req/s  p50 ${row.p50Ms.toFixed(2)} ms  p99 ${row.p99Ms.toFixed(2)} ms  ` +
          `rps × ${row.rpsRatio.toFixed(2)}  svc CPU ${row.serverCpuMsPerRequest.toFixed(3)} ms/req  pg ${row.postgresCpuMsPerRequest.toFixed(3)}\n`,
      );
    }
    process.stdout.write(`written to ${resultsFile} (${result.wallSeconds} s)\n`);
  } finally {
    clearTimeout(watchdog);
    for (const login of logins) await login.remove().catch(() => undefined);
    await pool.end();
    await stopAll();
  }
}

if (process.env.PORTAL_API_BENCH_ROLE === 'baseline') {
  await baselineServer(Number(process.env.PORTAL_API_BENCH_PORT), process.env.PORTAL_API_BENCH_DATABASE_URL ?? '');
} else {
  await main();
}
