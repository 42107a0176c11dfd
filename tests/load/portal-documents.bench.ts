/**
 * The portal's "documents visible to me" list, `GET /api/v1/portal/documents?limit=25`, through the
 * real gateway, directory and documents processes (NATS, real portal tokens), next to a bare
 * fastify + pg endpoint that runs the same three statements with the services' own query functions
 * (`findVisibleScope`, `listPortalDocumentPage`, then the owners' names with `describeOwners`),
 * first with 10,000 documents and then with
 * 1,000,000 (100,000 contacts, 100,000 projects), in one run. Prints and stores the plans of both
 * statements at 1,000,000 and warns loudly about a sequential scan on a big table.
 *
 *   node tests/load/portal-documents.bench.ts                      (or: npm run bench:documents)
 *   DOCUMENTS_BENCH_SECONDS=3 node tests/load/portal-documents.bench.ts   (a quicker run)
 *   DOCUMENTS_BENCH_KEEP=1 …   keeps the scratch database afterwards
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { PostgreSqlPlatform, type EntityManager } from '@mikro-orm/postgresql';
import Fastify from 'fastify';
import pg from 'pg';
import { serviceNames, type PortalDocument } from '@portal/contracts';
import { provisionServiceSchemas } from '@portal/deploy/local/postgres';
import { findVisibleScope } from '@portal/directory/visibility-queries';
import { describeOwners } from '@portal/directory/portal-queries';
import { nameOwners } from '@portal/documents/owner-names';
import { listPortalDocumentPage } from '@portal/documents/portal-queries';
import { createTemporaryLogin, freePort, keycloakAdminOf, waitForHttp, type TemporaryLogin } from '@portal/testing';
import { startServiceSystem } from '../support/service-system.ts';
import {
  gitCommit,
  machineFacts,
  measure,
  postgresVersion,
  ratio,
  stackEnv,
  start,
  stopAll,
  withRatios,
  type Measurement,
} from './support/measure.ts';

const settings = {
  seconds: Number(process.env.DOCUMENTS_BENCH_SECONDS ?? 10),
  connections: Number(process.env.DOCUMENTS_BENCH_CONNECTIONS ?? 10),
  warmupSeconds: 2,
};
/**
 * 10,000 accounts; every tenth is consolidated, with the next four as its members. Per account
 * 3 sites, 10 projects, 10 contacts and 100 documents (20 on the account, 30 on its sites, 50 on
 * its projects). The small phase writes the documents of the first 100 accounts only (10,000),
 * the large one those of the rest: the benchmarked contacts see the same documents at both sizes
 * while the tables around them grow 100×.
 */
const shape = {
  accounts: Number(process.env.DOCUMENTS_BENCH_ACCOUNTS ?? 10_000),
  sitesPerAccount: 3,
  projectsPerAccount: 10,
  contactsPerAccount: 10,
  documentsPerAccount: 100,
  smallPhaseAccounts: 100,
};
/** Account-level contacts (scope all) of consolidated accounts 1, 11, 21, 31, 41: five accounts each. */
const benchAccounts = [1, 11, 21, 31, 41];
const smallDocuments = shape.smallPhaseAccounts * shape.documentsPerAccount;
const largeDocuments = shape.accounts * shape.documentsPerAccount;
const count = (n: number) => n.toLocaleString('en-US');
const smallLabel = `${count(smallDocuments)} documents`;
const largeLabel = `${count(largeDocuments)} documents`;
const scratchDatabase = 'portal_bench_documents';
const keepDatabase = process.env.DOCUMENTS_BENCH_KEEP === '1';
const runBudgetMs = 1_500_000;
const resultsFile = join(import.meta.dirname, 'results', 'portal-documents.json');
const loopback = '127.0.0.1';
const path = '/api/v1/portal/documents?limit=25';
/** Tables whose sequential scan in the plans means the list grows with the data. */
const bigTables = [
  'document',
  'document_version',
  'document_share',
  'account',
  'site',
  'project',
  'contact',
  'access_scope_site',
  'access_scope_project',
];

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** The scratch database's URLs: the stack's roles and schemas, a database of this run's own. */
async function scratchStack(stack: Record<string, string>): Promise<Record<string, string>> {
  const adminUrl = stack.PG_ADMIN_URL ?? '';
  await adminQuery(adminUrl, `drop database if exists ${scratchDatabase} with (force)`);
  const services = serviceNames.flatMap((service) => {
    const url = stack[`${service.toUpperCase()}_DATABASE_URL`];
    if (!url) return [];
    const parsed = new URL(url);
    return [{ name: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) }];
  });
  await provisionServiceSchemas(withDatabase(adminUrl, scratchDatabase), services);
  const scratch: Record<string, string> = { ...stack, PG_ADMIN_URL: withDatabase(adminUrl, scratchDatabase) };
  for (const service of serviceNames) {
    const key = `${service.toUpperCase()}_DATABASE_URL`;
    if (stack[key]) scratch[key] = withDatabase(stack[key], scratchDatabase);
  }
  return scratch;
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * The little of MikroORM's EntityManager the two query functions use: `execute` with `?`
 * placeholders, inlined by MikroORM's own PostgreSQL formatter as the services' ORM does, so the
 * statement text PostgreSQL receives is the services' text. `seen` collects each statement.
 */
const platform = new PostgreSqlPlatform();
function entityManagerOver(pool: pg.Pool, seen?: string[]): EntityManager {
  const execute = async (sql: string, params: unknown[] = []) => {
    const text = platform.formatQuery(sql, params);
    seen?.push(text);
    return (await pool.query(text)).rows;
  };
  return { execute } as unknown as EntityManager;
}

/** The documents service's `portalViewerOf`, with the scope from the directory's own query. */
async function listFor(directory: EntityManager, documents: EntityManager, contactId: string, cursor?: string) {
  const scope = await findVisibleScope(directory, contactId);
  if (!scope) throw new Error(`contact ${contactId} does not exist`);
  const none = { accountIds: [], siteIds: [], projectIds: [] };
  const viewer = scope.accessEnabled
    ? { contactId, accountIds: scope.accountIds, owners: scope.itemOwners }
    : { contactId, accountIds: [], owners: none };
  const page = await listPortalDocumentPage(documents, viewer, { limit: 25, ...(cursor ? { cursor } : {}) });
  // The owners' names, as the documents service asks the directory for them (one statement per page).
  return { ...page, items: await nameOwners<PortalDocument>(page.items, (ids) => describeOwners(directory, ids)) };
}

/** Child: fastify + pg, the three statements for the contact in `x-contact-id`, a pool per schema as each service has. */
async function baselineServer(port: number, directoryUrl: string, documentsUrl: string): Promise<void> {
  const directoryPool = new pg.Pool({
    connectionString: directoryUrl,
    max: 10,
    idleTimeoutMillis: 0,
    options: '-c search_path=directory',
  });
  const documentsPool = new pg.Pool({
    connectionString: documentsUrl,
    max: 10,
    idleTimeoutMillis: 0,
    options: '-c search_path=documents',
  });
  const [directory, documents] = [entityManagerOver(directoryPool), entityManagerOver(documentsPool)];
  const app = Fastify({ logger: false });
  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/portal/documents', (request) => listFor(directory, documents, String(request.headers['x-contact-id'])));
  await app.listen({ port, host: loopback });
  process.once('SIGTERM', () => {
    void app.close().then(async () => {
      await Promise.all([directoryPool.end(), documentsPool.end()]);
      process.exit(0);
    });
  });
}

/**
 * Deterministic ids: the md5 of a label and a number, with a version 4 UUID's version and variant
 * digits (the contracts check them), so every statement computes the ids it refers to.
 */
const id = (label: string, n: string) =>
  `overlay(overlay(md5('${label}-' || (${n})) placing '4' from 13) placing '8' from 17)::uuid`;

/** The directory's rows, straight into its tables. */
async function generateDirectory(admin: pg.Client): Promise<void> {
  const { accounts, sitesPerAccount: sites, projectsPerAccount: projects, contactsPerAccount: contacts } = shape;
  await admin.query('set search_path = directory');
  await admin.query('begin');
  // Every row refers to rows computed the same way; foreign-key triggers would only slow the load.
  await admin.query('set local session_replication_role = replica');
  await admin.query(
    `insert into account (id, number, name, kind, consolidated_account_id)
     select ${id('account', 'a')}, 'BD-' || lpad(a::text, 5, '0'), 'Bench documents account ' || a,
       case when a % 10 = 1 then 'consolidated' else 'customer' end,
       case when a % 10 between 2 and 5 then ${id('account', 'a - a % 10 + 1')} end
     from generate_series(1, $1::int) a`,
    [accounts],
  );
  await admin.query(
    `insert into site (id, account_id, code, name)
     select ${id('site', 's')}, ${id('account', `(s - 1) / ${sites} + 1`)}, 'S' || ((s - 1) % ${sites} + 1), 'Site ' || s
     from generate_series(1, $1::int) s`,
    [accounts * sites],
  );
  // Half the projects on a site of their account; 5 % hidden, 5 % completed.
  await admin.query(
    `insert into project (id, account_id, site_id, code, name, hidden, completed)
     select ${id('project', 'p')}, ${id('account', `(p - 1) / ${projects} + 1`)},
       case when p % 2 = 1 then ${id('site', `((p - 1) / ${projects}) * ${sites} + 1 + p % ${sites}`)} end,
       'P' || lpad(((p - 1) % ${projects} + 1)::text, 2, '0'), 'Project ' || p, p % 20 = 10, p % 20 = 15
     from generate_series(1, $1::int) p`,
    [accounts * projects],
  );
  // Per account: contacts 1–6 see everything, 7 has no access, 8 and 9 a selection (site 2,
  // projects 3 and 7), 10 is tied to site 1.
  await admin.query(
    `insert into contact (id, account_id, site_id, first_name, last_name, email, access_status, access_scope, enabled_at)
     select ${id('contact', 'c')}, ${id('account', `(c - 1) / ${contacts} + 1`)},
       case when (c - 1) % ${contacts} = 9 then ${id('site', `((c - 1) / ${contacts}) * ${sites} + 1`)} end,
       'Bench', 'Contact ' || c, 'c' || c || '@bench-documents.test',
       case when (c - 1) % ${contacts} = 6 then 'none' else 'enabled' end,
       case when (c - 1) % ${contacts} in (7, 8) then 'selected' else 'all' end,
       case when (c - 1) % ${contacts} <> 6 then now() end
     from generate_series(1, $1::int) c`,
    [accounts * contacts],
  );
  await admin.query(
    `insert into access_scope_site (contact_id, site_id)
     select ${id('contact', 'c')}, ${id('site', `((c - 1) / ${contacts}) * ${sites} + 2`)}
     from generate_series(1, $1::int) c where (c - 1) % ${contacts} in (7, 8)`,
    [accounts * contacts],
  );
  await admin.query(
    `insert into access_scope_project (contact_id, project_id)
     select ${id('contact', 'c')}, ${id('project', `((c - 1) / ${contacts}) * ${projects} + k`)}
     from generate_series(1, $1::int) c, (values (3), (7)) as ks (k) where (c - 1) % ${contacts} in (7, 8)`,
    [accounts * contacts],
  );
  await admin.query('commit');
  await admin.query('analyze account, site, project, contact, access_scope_site, access_scope_project');
}

/**
 * The documents of accounts `from`..`to`, each with one clean current version; 5 % internal,
 * 5 % shared with two named contacts of the account (document_share), 10 % of a file type
 * customers never see, the rest by file type.
 */
async function generateDocuments(admin: pg.Client, from: number, to: number): Promise<void> {
  const { sitesPerAccount: sites, projectsPerAccount: projects, contactsPerAccount: contacts } = shape;
  const perAccount = shape.documentsPerAccount;
  await admin.query('set search_path = documents');
  const fileTypes = new Map(
    (await admin.query<{ code: string; id: string }>('select code, id from file_type')).rows.map((r) => [r.code, r.id]),
  );
  const typeIds = ['drawing', 'datasheet', 'customer-file', 'internal-note'].map((code) => {
    const typeId = fileTypes.get(code);
    if (!typeId) throw new Error(`file type ${code} is missing`);
    return typeId;
  });
  const documents = `(select a, k, (a - 1) * ${perAccount} + k as g
     from generate_series($1::int, $2::int) a, generate_series(1, ${perAccount}) k) n`;
  await admin.query('begin');
  // The document and its current version refer to each other; the load writes both sides itself.
  await admin.query('set local session_replication_role = replica');
  await admin.query(
    `insert into document (id, account_id, owner_kind, owner_id, title, description, file_type_id, sharing,
       current_version_id, latest_version_id, created_by, created_at, updated_at)
     select ${id('document', 'g')}, ${id('account', 'a')},
       case when k <= 20 then 'account' when k <= 50 then 'site' else 'project' end,
       case when k <= 20 then ${id('account', 'a')}
            when k <= 50 then ${id('site', `(a - 1) * ${sites} + 1 + (k - 21) % ${sites}`)}
            else ${id('project', `(a - 1) * ${projects} + 1 + (k - 51) % ${projects}`)} end,
       (array['Drawing', 'Datasheet', 'Manual', 'Certificate', 'Layout', 'Test report', 'Specification',
              'Wiring diagram', 'Photo', 'Bill of materials'])[1 + g % 10] || ' ' || substr(md5('title-' || g), 1, 10),
       case when g % 3 = 0 then 'Generated for the documents benchmark' end,
       case k % 10 when 7 then $4::uuid when 8 then $5::uuid when 9 then $6::uuid else $3::uuid end,
       case when k % 20 = 0 then 'internal' when k % 20 = 7 then 'contacts' else 'by-file-type' end,
       ${id('version', 'g')}, ${id('version', 'g')}, '{"kind": "staff", "staffUserId": "bench"}',
       now() - g * interval '1 second', now() - g * interval '1 second'
     from ${documents}`,
    [from, to, ...typeIds],
  );
  await admin.query(
    `insert into document_version (id, document_id, number, object_key, size_bytes, sha256, content_type, file_name,
       scan_state, scanned_at, uploaded_by, uploaded_at)
     select ${id('version', 'g')}, ${id('document', 'g')}, 1, 'bench/' || g || '.pdf', 20000 + g % 5000000,
       md5('a' || g) || md5('b' || g), 'application/pdf', 'document-' || g || '.pdf', 'clean',
       now() - g * interval '1 second', '{"kind": "staff", "staffUserId": "bench"}', now() - g * interval '1 second'
     from ${documents}`,
    [from, to],
  );
  await admin.query(
    `insert into document_share (document_id, contact_id)
     select ${id('document', `(a - 1) * ${perAccount} + k`)}, ${id('contact', `(a - 1) * ${contacts} + j`)}
     from generate_series($1::int, $2::int) a, generate_series(7, ${perAccount}, 20) k, (values (1), (2)) as js (j)`,
    [from, to],
  );
  await admin.query('commit');
  // As autovacuum would leave them on a running installation: statistics and the visibility map.
  await admin.query('vacuum (analyze) document, document_version, document_share');
  // Written out now rather than by the checkpointer during the measurements that follow.
  await admin.query('checkpoint');
}

async function timed(work: () => Promise<void>): Promise<number> {
  const began = performance.now();
  await work();
  return Math.round(performance.now() - began) / 1000;
}

interface Plan {
  statement: string;
  plan: string;
  seqScans: string[];
}

/**
 * Sequential scans on the big tables, from a plan's text; one the run never reached (an
 * alternative for contacts with another scope) is marked so, and counts all the same.
 */
const seqScansIn = (plan: string) =>
  [...plan.matchAll(/Seq Scan on (\w+)[^\n]*/g)]
    .filter((m) => bigTables.includes(m[1] ?? ''))
    .map((m) => (m[0].includes('never executed') ? `${m[1]} (never executed)` : (m[1] ?? '')));

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the list statement, and of the scope statement with the plans of
 * the visibility functions it calls (auto_explain of the nested statements, sent to this session
 * as notices): the functions are SQL functions with `set search_path`, which PostgreSQL plans
 * apart from the calling statement.
 */
async function explainBoth(adminUrl: string, scopeSql: string, listSql: string): Promise<{ scope: Plan; list: Plan }> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const explain = async (sql: string) =>
      (await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`)).rows
        .map((row) => row['QUERY PLAN'])
        .join('\n');
    await client.query('set search_path = documents');
    await explain(listSql);
    const listPlan = await explain(listSql);

    await client.query('set search_path = directory');
    await explain(scopeSql);
    const nested: string[] = [];
    client.on('notice', (notice) => {
      if (notice.message?.includes('Query Text:')) nested.push(notice.message);
    });
    await client.query("load 'auto_explain'");
    for (const setting of [
      'auto_explain.log_min_duration = 0',
      'auto_explain.log_analyze = on',
      'auto_explain.log_buffers = on',
      'auto_explain.log_timing = on',
      'auto_explain.log_nested_statements = on',
      'auto_explain.log_level = notice',
      'client_min_messages = notice',
    ]) {
      await client.query(`set ${setting}`);
    }
    const scopePlan = await explain(scopeSql);
    await client.query('set auto_explain.log_min_duration = -1');
    // Each function body's plan; the last notice is the EXPLAIN statement itself.
    const functionPlans = nested.filter((text) => !text.includes('explain (analyze'));
    const scopeText = `${scopePlan}\n\n-- plans of the visibility functions it calls (auto_explain, nested statements):\n${functionPlans.join('\n\n')}`;
    return {
      scope: { statement: scopeSql, plan: scopeText, seqScans: seqScansIn(scopeText) },
      list: { statement: listSql, plan: listPlan, seqScans: seqScansIn(listPlan) },
    };
  } finally {
    await client.end();
  }
}

/** Milliseconds the plan reports as its execution time. */
const executionMs = (plan: string) => Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);

async function main(): Promise<void> {
  const stack = await scratchStack(stackEnv());
  const watchdog = setTimeout(() => {
    process.stderr.write(`portal documents benchmark: over its ${runBudgetMs / 1000} s budget, stopping\n`);
    void stopAll().finally(() => process.exit(1));
  }, runBudgetMs);
  watchdog.unref();
  const began = performance.now();
  const loadBefore = loadavg().map((value) => Math.round(value * 100) / 100);
  process.stdout.write(
    `portal documents benchmark: ${settings.connections} connections, ${settings.seconds} s per run, database ${scratchDatabase}\n`,
  );
  const logins: TemporaryLogin[] = [];
  const admin = new pg.Client({ connectionString: stack.PG_ADMIN_URL });
  await admin.connect();
  const directoryPool = new pg.Pool({
    connectionString: stack.DIRECTORY_DATABASE_URL,
    max: 2,
    idleTimeoutMillis: 0,
    options: '-c search_path=directory',
  });
  const documentsPool = new pg.Pool({
    connectionString: stack.DOCUMENTS_DATABASE_URL,
    max: 2,
    idleTimeoutMillis: 0,
    options: '-c search_path=documents',
  });
  try {
    // The services migrate their schemas as they start; the data goes in afterwards.
    const system = await startServiceSystem({
      stack,
      entries: ['directory', 'documents', 'gateway'],
      namespacePrefix: 'bench-documents',
      env: { GATEWAY_RATE_LIMIT_PER_MINUTE: '10000000', CLAMD_URL: stack.CLAMD_URL ?? '' },
      spawn: start,
    });
    const generation = {
      directorySeconds: await timed(() => generateDirectory(admin)),
      smallDocumentsSeconds: await timed(() => generateDocuments(admin, 1, shape.smallPhaseAccounts)),
      largeDocumentsSeconds: 0,
    };
    process.stdout.write(
      `  directory written in ${generation.directorySeconds} s, ${smallLabel} in ${generation.smallDocumentsSeconds} s\n`,
    );

    // Each benchmarked contact signs in: a Keycloak login of its own, linked as identity would link it.
    const contactIds: string[] = [];
    const keycloak = keycloakAdminOf(stack);
    for (const account of benchAccounts) {
      const contactNumber = (account - 1) * shape.contactsPerAccount + 1;
      const login = await createTemporaryLogin(keycloak, 'portal', { usernamePrefix: 'bench-documents' });
      logins.push(login);
      const { rows } = await admin.query<{ id: string }>(
        `update directory.contact set identity_user_id = $1 where id = ${id('contact', '$2::int')} returning id`,
        [login.subject, contactNumber],
      );
      contactIds.push(rows[0]?.id ?? '');
    }
    let tokens: string[] = [];

    const baselinePort = await freePort();
    const baselineProcess = start('fastify-baseline', import.meta.filename, {
      PATH: process.env.PATH ?? '',
      DOCUMENTS_BENCH_ROLE: 'baseline',
      DOCUMENTS_BENCH_PORT: String(baselinePort),
      DOCUMENTS_BENCH_DIRECTORY_URL: stack.DIRECTORY_DATABASE_URL ?? '',
      DOCUMENTS_BENCH_DOCUMENTS_URL: stack.DOCUMENTS_DATABASE_URL ?? '',
    });
    const baselineUrl = `http://${loopback}:${baselinePort}/portal/documents`;
    await waitForHttp(`http://${loopback}:${baselinePort}/healthz`, 200, 15_000, () => baselineProcess.output());

    const [directory, documents] = [entityManagerOver(directoryPool), entityManagerOver(documentsPool)];
    /** Same contacts, same answers; and how many documents each contact reaches (every page, in process). */
    const checkAndCount = async () => {
      // Fresh tokens for each phase: writing the large phase outlasts an access token.
      tokens = await Promise.all(logins.map((login) => login.accessToken()));
      let pageBytes = 0;
      const visible: number[] = [];
      for (const [index, contactId] of contactIds.entries()) {
        const [viaGateway, bare] = await Promise.all([
          fetch(`${system.gatewayUrl}${path}`, { headers: { authorization: `Bearer ${tokens[index]}` } }),
          fetch(baselineUrl, { headers: { 'x-contact-id': contactId } }),
        ]);
        const [gatewayText, bareText] = [await viaGateway.text(), await bare.text()];
        if (viaGateway.status !== 200 || gatewayText !== bareText) {
          throw new Error(
            `contact ${contactId}: gateway ${viaGateway.status} ${gatewayText.slice(0, 300)} ≠ ${bareText.slice(0, 300)}\n${system.outputs()}`,
          );
        }
        pageBytes = Math.max(pageBytes, Buffer.byteLength(gatewayText));
        let count = 0;
        let cursor: string | undefined;
        do {
          const page = await listFor(directory, documents, contactId, cursor);
          count += page.items.length;
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        visible.push(count);
      }
      return { pageBytes, visibleDocumentsPerContact: visible };
    };

    const measureBoth = async (label: string): Promise<[Measurement, Measurement]> => {
      let nextBaseline = 0;
      const baseline = await measure(
        {
          name: `baseline (fastify + pg, same SQL), ${label}`,
          request: 'GET /portal/documents (x-contact-id)',
          url: baselineUrl,
          processes: [baselineProcess],
          options: {
            requests: [
              {
                setupRequest: (request) => ({
                  ...request,
                  headers: { ...request.headers, 'x-contact-id': contactIds[nextBaseline++ % contactIds.length] ?? '' },
                }),
              },
            ],
          },
        },
        settings,
      );
      let nextGateway = 0;
      const gateway = await measure(
        {
          name: `gateway + directory + documents (NATS), ${label}`,
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
      return [baseline, gateway];
    };

    /** The three statements exactly as the services send them for a contact: scope, list, owner names. */
    const statementsOf = async (contactId: string) => {
      const statements: string[] = [];
      await listFor(
        entityManagerOver(directoryPool, statements),
        entityManagerOver(documentsPool, statements),
        contactId,
      );
      const [scopeSql, listSql, namesSql] = statements;
      if (statements.length !== 3 || !scopeSql || !listSql || !namesSql) {
        throw new Error(`expected three statements, saw ${statements.length}`);
      }
      return { scopeSql, listSql, namesSql };
    };
    /**
     * Each statement alone, one at a time (no queueing for the cores): the median of 200 runs for
     * the first contact, through the services' roles, after 20 uncounted.
     */
    const serialStatements = async () => {
      const { scopeSql, listSql, namesSql } = await statementsOf(contactIds[0] ?? '');
      const medianMs = async (pool: pg.Pool, sql: string) => {
        const client = await pool.connect();
        try {
          const times: number[] = [];
          for (let i = 0; i < 220; i++) {
            const t = performance.now();
            await client.query(sql);
            if (i >= 20) times.push(performance.now() - t);
          }
          times.sort((a, b) => a - b);
          return Math.round((times[times.length >> 1] ?? 0) * 1000) / 1000;
        } finally {
          client.release();
        }
      };
      return {
        scopeMedianMs: await medianMs(directoryPool, scopeSql),
        listMedianMs: await medianMs(documentsPool, listSql),
        ownerNamesMedianMs: await medianMs(directoryPool, namesSql),
      };
    };

    const small = await checkAndCount();
    process.stdout.write(`  ${smallLabel}: contacts reach ${small.visibleDocumentsPerContact.join(', ')} documents\n`);
    const [smallBaseline, smallGateway] = await measureBoth(smallLabel);
    const smallSerial = await serialStatements();
    process.stdout.write(`  ${smallLabel}, one statement at a time: ${JSON.stringify(smallSerial)}\n`);

    generation.largeDocumentsSeconds = await timed(() =>
      generateDocuments(admin, shape.smallPhaseAccounts + 1, shape.accounts),
    );
    process.stdout.write(
      `  ${count(largeDocuments - smallDocuments)} more documents written in ${generation.largeDocumentsSeconds} s\n`,
    );
    const large = await checkAndCount();
    process.stdout.write(`  ${largeLabel}: contacts reach ${large.visibleDocumentsPerContact.join(', ')} documents\n`);
    const [largeBaseline, largeGateway] = await measureBoth(largeLabel);
    const largeSerial = await serialStatements();
    process.stdout.write(`  ${largeLabel}, one statement at a time: ${JSON.stringify(largeSerial)}\n`);

    const counts = (
      await admin.query<Record<string, string>>(
        `select (select count(*) from documents.document) as documents,
                (select count(*) from documents.document_version) as versions,
                (select count(*) from documents.document_share) as shares,
                (select count(*) from directory.account) as accounts,
                (select count(*) from directory.site) as sites,
                (select count(*) from directory.project) as projects,
                (select count(*) from directory.contact) as contacts`,
      )
    ).rows[0];

    // The statements exactly as the services send them, for the first benchmarked contact.
    const { scopeSql, listSql } = await statementsOf(contactIds[0] ?? '');
    const plans = await explainBoth(stack.PG_ADMIN_URL ?? '', scopeSql, listSql);
    process.stdout.write(`\n-- scope statement (directory), ${largeLabel}:\n${plans.scope.plan}\n`);
    process.stdout.write(`\n-- list statement (documents), ${largeLabel}:\n${plans.list.plan}\n\n`);
    const seqScans = [...plans.scope.seqScans, ...plans.list.seqScans];
    if (seqScans.length > 0) {
      process.stdout.write(
        `${'!'.repeat(78)}\n!! WARNING: sequential scan on ${[...new Set(seqScans)].join(', ')} in the plans above.\n` +
          `!! The list's cost grows with the table, not with what the contact sees.\n${'!'.repeat(78)}\n`,
      );
    }

    const runs = withRatios([smallBaseline, smallGateway, largeBaseline, largeGateway], largeBaseline);
    const result = {
      measuredAt: new Date().toISOString(),
      machine: machineFacts(loadBefore),
      node: process.version,
      postgres: await postgresVersion(stack.PG_ADMIN_URL ?? ''),
      settings: { ...settings, loadGenerator: 'autocannon, in this process' },
      data: {
        database: `${scratchDatabase} (scratch, ${keepDatabase ? 'kept' : 'dropped at the end'})`,
        ...Object.fromEntries(Object.entries(counts ?? {}).map(([key, value]) => [key, Number(value)])),
        ...shape,
        benchmarkedContacts: contactIds.length,
        visibleDocumentsPerContact: {
          small: small.visibleDocumentsPerContact,
          large: large.visibleDocumentsPerContact,
        },
        pageBytes: large.pageBytes,
        generationSeconds: generation,
      },
      runs,
      ratio: {
        gatewayOverBaseline: {
          small: {
            rps: ratio(smallGateway.rps, smallBaseline.rps),
            p50: ratio(smallGateway.p50Ms, smallBaseline.p50Ms),
            p99: ratio(smallGateway.p99Ms, smallBaseline.p99Ms),
          },
          large: {
            rps: ratio(largeGateway.rps, largeBaseline.rps),
            p50: ratio(largeGateway.p50Ms, largeBaseline.p50Ms),
            p99: ratio(largeGateway.p99Ms, largeBaseline.p99Ms),
          },
        },
        largeOverSmall: {
          baseline: {
            p50: ratio(largeBaseline.p50Ms, smallBaseline.p50Ms),
            rps: ratio(largeBaseline.rps, smallBaseline.rps),
          },
          gateway: {
            p50: ratio(largeGateway.p50Ms, smallGateway.p50Ms),
            rps: ratio(largeGateway.rps, smallGateway.rps),
          },
        },
      },
      serialStatements: { small: smallSerial, large: largeSerial },
      plans: {
        scope: { ...plans.scope, executionMs: executionMs(plans.scope.plan) },
        list: { ...plans.list, executionMs: executionMs(plans.list.plan) },
        noSeqScanOnBigTables: seqScans.length === 0,
      },
      wallSeconds: Math.round((performance.now() - began) / 1000),
      commit: gitCommit(),
    };
    await mkdir(dirname(resultsFile), { recursive: true });
    await writeFile(resultsFile, `${JSON.stringify(result, null, 2)}\n`);
    for (const row of runs) {
      process.stdout.write(
        `${row.name.padEnd(62)} ${String(row.rps).padStart(6)} req/s  p50 ${row.p50Ms.toFixed(2)} ms  p99 ${row.p99Ms.toFixed(2)} ms  ` +
          `svc CPU ${row.serverCpuMsPerRequest.toFixed(3)} ms/req  pg ${row.postgresCpuMsPerRequest.toFixed(3)}\n`,
      );
    }
    process.stdout.write(
      `gateway ÷ baseline at ${largeLabel}: rps ${result.ratio.gatewayOverBaseline.large.rps}, p50 ${result.ratio.gatewayOverBaseline.large.p50}, p99 ${result.ratio.gatewayOverBaseline.large.p99}\n` +
        `p50 ${largeLabel} ÷ ${smallLabel}: baseline ${result.ratio.largeOverSmall.baseline.p50}, gateway ${result.ratio.largeOverSmall.gateway.p50}\n` +
        `one statement at a time, ${smallLabel} → ${largeLabel}: scope ${smallSerial.scopeMedianMs} → ${largeSerial.scopeMedianMs} ms, list ${smallSerial.listMedianMs} → ${largeSerial.listMedianMs} ms\n` +
        `written to ${resultsFile} (${result.wallSeconds} s)\n`,
    );
  } finally {
    clearTimeout(watchdog);
    for (const login of logins) await login.remove().catch(() => undefined);
    await Promise.all([directoryPool.end(), documentsPool.end(), admin.end()]);
    await stopAll();
    if (!keepDatabase) {
      await adminQuery(stackEnv().PG_ADMIN_URL ?? '', `drop database if exists ${scratchDatabase} with (force)`);
    }
  }
}

if (process.env.DOCUMENTS_BENCH_ROLE === 'baseline') {
  await baselineServer(
    Number(process.env.DOCUMENTS_BENCH_PORT),
    process.env.DOCUMENTS_BENCH_DIRECTORY_URL ?? '',
    process.env.DOCUMENTS_BENCH_DOCUMENTS_URL ?? '',
  );
} else {
  await main();
}
