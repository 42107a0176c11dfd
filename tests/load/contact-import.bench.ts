/**
 * Contact CSV import, 100,000 rows: the production action path (stream parse, row rules, batched
 * upsert with audit and outbox events) next to a plain PostgreSQL COPY of the same rows, in one run.
 * Each measurement runs in its own child process, so its peak RSS is its own.
 *
 *   node tests/load/contact-import.bench.ts            (or: npm run bench:import)
 *   CONTACT_BENCH_ROWS=20000 node tests/load/contact-import.bench.ts
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { resourceUsage } from 'node:process';
import { pipeline } from 'node:stream/promises';
import moleculer from 'moleculer';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { contactImportSchema, type ContactImport } from '@portal/contracts';
import { createServiceOrm, DurableEventsMigration, migrateToLatest } from '@portal/kit';
import { contactImportActions } from '@portal/directory/contact-import';
import { directoryMigrations } from '@portal/directory/migrations';
import {
  contactCsvChunks,
  csvLineOf,
  generateContactRows,
  seedImportAccounts,
  type ContactCsvPlan,
} from '@portal/directory/test-fixtures';
import { devCredentials, host, ports } from '@portal/deploy/local/config';

const rowCount = Number(process.env.CONTACT_BENCH_ROWS ?? 100_000);
const resultsFile = join(import.meta.dirname, 'results', 'contact-import.json');
const migrations = [DurableEventsMigration, ...directoryMigrations];

interface PhaseResult {
  wallMs: number;
  /** RSS just before the measured work: node, the loaded modules, an open pool. */
  rssBeforeMiB: number;
  /** Highest `process.memoryUsage().rss` sampled every 10 ms during the measured work. */
  peakRssSampledMiB: number;
  /** `resourceUsage().maxRSS` at the end: the child process's peak over its whole life. */
  maxRssMiB: number;
  job?: ContactImport;
  copiedRows?: number;
}

function adminUrl(): string {
  if (process.env.PG_ADMIN_URL) return process.env.PG_ADMIN_URL;
  const { pgSuperuser, pgSuperuserPassword, pgDatabase } = devCredentials;
  return `postgres://${pgSuperuser}:${pgSuperuserPassword}@${host}:${ports.postgres}/${pgDatabase}`;
}

async function admin<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Samples RSS while `work` runs; wall time excludes process start and module loading. */
async function measure(work: () => Promise<Partial<PhaseResult>>): Promise<PhaseResult> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const started = performance.now();
  try {
    const extra = await work();
    const wallMs = Math.round(performance.now() - started);
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      wallMs,
      rssBeforeMiB: mib(before),
      peakRssSampledMiB: mib(peak),
      maxRssMiB: mib(resourceUsage().maxRSS * 1024),
      ...extra,
    };
  } finally {
    clearInterval(sampler);
  }
}

/** Child: the import through the directory's own action, as the gateway would call it. */
async function importPhase(schema: string, file: string): Promise<PhaseResult> {
  const orm = await createServiceOrm({ schema, databaseUrl: adminUrl(), migrations });
  const broker = new moleculer.ServiceBroker({ logger: false, transporter: null });
  broker.createService({ name: 'directory', actions: contactImportActions({ orm }) });
  await broker.start();
  const meta = { actor: { kind: 'staff', userId: 'bench' }, requestId: 'bench-import' };
  try {
    return await measure(async () => {
      const started = contactImportSchema.parse(
        await broker.call('directory.startContactImport', {}, { stream: createReadStream(file), meta }),
      );
      for (;;) {
        const job = contactImportSchema.parse(
          await broker.call('directory.getContactImport', { importId: started.id }, { meta }),
        );
        if (job.status !== 'running') return { job };
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
  } finally {
    await broker.stop();
    await orm.close();
  }
}

/** Child: the floor, a plain COPY of the same rows (ids already resolved) into the same contact table. */
async function copyPhase(schema: string, file: string): Promise<PhaseResult> {
  const client = new pg.Client({ connectionString: adminUrl(), options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return await measure(async () => {
      const copy = client.query(
        copyFrom(
          'copy contact (id, account_id, site_id, first_name, last_name, email, phone, title) from stdin with (format csv)',
        ),
      );
      await pipeline(createReadStream(file), copy);
      return { copiedRows: copy.rowCount ?? 0 };
    });
  } finally {
    await client.end();
  }
}

async function runChild(phase: 'import' | 'copy', schema: string, file: string): Promise<PhaseResult> {
  const child = spawn(process.execPath, [import.meta.filename, phase, schema, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`${phase} phase exited with ${code}`);
  return JSON.parse(output) as PhaseResult;
}

async function openSchema(prefix: string): Promise<string> {
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  await admin(`create schema ${schema}`);
  const orm = await createServiceOrm({ schema, databaseUrl: adminUrl(), migrations });
  try {
    await migrateToLatest(orm);
  } finally {
    await orm.close();
  }
  return schema;
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'contact-bench-'));
  const importSchema = await openSchema('bench_csv_import');
  const copySchema = await openSchema('bench_csv_copy');
  try {
    // Same accounts and sites (same ids) in both schemas.
    const orm = await createServiceOrm({ schema: importSchema, databaseUrl: adminUrl(), migrations });
    const accounts = await seedImportAccounts(orm.em.fork(), { accounts: 20, sitesPerAccount: 5, prefix: 'BENCH' });
    await orm.close();
    await admin(`insert into ${copySchema}.account select * from ${importSchema}.account;
                 insert into ${copySchema}.site select * from ${importSchema}.site`);

    const plan: ContactCsvPlan = { rows: rowCount, accounts, badEvery: 0 };
    const csvFile = join(work, 'contacts.csv');
    const copyFile = join(work, 'contacts.copy.csv');
    await pipeline(contactCsvChunks(plan), createWriteStream(csvFile));
    await pipeline(function* () {
      for (const row of generateContactRows(plan)) {
        // fields: account_number, site_code, then the contact's own columns. An empty unquoted CSV
        // field is NULL for COPY, as a blank cell is for the import.
        yield csvLineOf([randomUUID(), row.accountId, row.siteId ?? '', ...row.fields.slice(2)]);
      }
    }, createWriteStream(copyFile));

    process.stdout.write(`contact import benchmark: ${rowCount} rows\n`);
    const viaImport = await runChild('import', importSchema, csvFile);
    const viaCopy = await runChild('copy', copySchema, copyFile);
    const [counts] = await admin<{ contacts: number; audit: number; outbox: number }>(
      `select (select count(*)::int from ${importSchema}.contact) as contacts,
              (select count(*)::int from ${importSchema}.audit_entry) as audit,
              (select count(*)::int from ${importSchema}.outbox) as outbox`,
    );
    if (viaImport.job?.status !== 'completed' || counts?.contacts !== rowCount || viaCopy.copiedRows !== rowCount) {
      throw new Error(`benchmark run is not valid: ${JSON.stringify({ viaImport, viaCopy, counts })}`);
    }

    const ratio = Math.round((viaImport.wallMs / viaCopy.wallMs) * 10) / 10;
    const result = {
      measuredAt: new Date().toISOString(),
      rows: rowCount,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryMiB: mib(totalmem()) },
      postgres: (await admin<{ version: string }>('select version()'))[0]?.version ?? 'unknown',
      node: process.version,
      import: {
        wallMs: viaImport.wallMs,
        rowsPerSecond: Math.round(rowCount / (viaImport.wallMs / 1000)),
        rssBeforeMiB: viaImport.rssBeforeMiB,
        peakRssSampledMiB: viaImport.peakRssSampledMiB,
        maxRssMiB: viaImport.maxRssMiB,
        written: counts,
      },
      copy: {
        wallMs: viaCopy.wallMs,
        rowsPerSecond: Math.round(rowCount / (viaCopy.wallMs / 1000)),
        rssBeforeMiB: viaCopy.rssBeforeMiB,
        peakRssSampledMiB: viaCopy.peakRssSampledMiB,
        maxRssMiB: viaCopy.maxRssMiB,
      },
      importToCopyTimeRatio: ratio,
      commit: gitCommit(),
    };
    await mkdir(dirname(resultsFile), { recursive: true });
    await writeFile(resultsFile, `${JSON.stringify(result, null, 2)}\n`);

    const line = (name: string, phase: PhaseResult) =>
      `${name.padEnd(8)} ${String(phase.wallMs).padStart(7)} ms  RSS ${phase.rssBeforeMiB} MiB before, peak ${phase.peakRssSampledMiB} MiB sampled, ${phase.maxRssMiB} MiB maxRSS\n`;
    process.stdout.write(line('import', viaImport));
    process.stdout.write(
      `         (${counts.contacts} contacts, ${counts.audit} audit entries, ${counts.outbox} outbox events)\n`,
    );
    process.stdout.write(line('COPY', viaCopy));
    process.stdout.write(`import/COPY time ratio: ${ratio}x\nwritten to ${resultsFile}\n`);
  } finally {
    await admin(`drop schema if exists ${importSchema} cascade; drop schema if exists ${copySchema} cascade`);
    await rm(work, { recursive: true, force: true });
  }
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

const [phase, schema, file] = process.argv.slice(2);
if (phase === 'import' || phase === 'copy') {
  const result = await (phase === 'import' ? importPhase(schema!, file!) : copyPhase(schema!, file!));
  process.stdout.write(JSON.stringify(result));
} else {
  await main();
}
