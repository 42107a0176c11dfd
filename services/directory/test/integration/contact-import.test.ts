import { randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import moleculer from 'moleculer';
import { contactImportSchema, eventContracts, type ContactImport } from '@portal/contracts';
import { DurableEventsMigration } from '@portal/kit';
import { openScratchSchema, type ScratchSchema } from '@portal/testing';
import { contactImportActions } from '../../src/contact-import/contact-import.actions.ts';
import { directoryMigrations } from '../../src/migrations/index.ts';
import {
  contactCsvChunks,
  contactCsvHeaderLine,
  csvLineOf,
  expectedMessageOf,
  generateContactRows,
  seedImportAccounts,
  type ContactCsvPlan,
  type SeededAccount,
} from '../fixtures/contact-import.fixture.ts';

const staff = { actor: { kind: 'staff', userId: 'staff-csv-it' }, requestId: 'req-csv-it', sourceIp: '203.0.113.7' };

let scratch: ScratchSchema;
let broker: moleculer.ServiceBroker;
let accounts: SeededAccount[];
let plan: ContactCsvPlan;

beforeAll(async () => {
  scratch = await openScratchSchema({
    prefix: 'dir_csv',
    migrations: [DurableEventsMigration, ...directoryMigrations],
  });
  broker = new moleculer.ServiceBroker({ logger: false, transporter: null });
  broker.createService({ name: 'directory', actions: contactImportActions({ orm: scratch.orm }) });
  await broker.start();
  accounts = await seedImportAccounts(scratch.orm.em.fork(), { accounts: 4, sitesPerAccount: 3, prefix: 'CSV' });
  plan = { rows: 10_000, accounts, badEvery: 200 };
});
afterAll(async () => {
  await broker?.stop();
  await scratch?.close();
});

const startImport = async (body: Readable | string, viaStream = false): Promise<ContactImport> => {
  const input = typeof body === 'string' ? Readable.from([body]) : body;
  const job = viaStream
    ? await broker.call('directory.startContactImport', {}, { stream: input, meta: staff })
    : await broker.call('directory.startContactImport', input, { meta: staff });
  return contactImportSchema.parse(job);
};

const getImport = async (importId: string): Promise<ContactImport> =>
  contactImportSchema.parse(await broker.call('directory.getContactImport', { importId }, { meta: staff }));

async function finished(importId: string): Promise<ContactImport> {
  const deadline = Date.now() + 50_000;
  for (;;) {
    const job = await getImport(importId);
    if (job.status !== 'running') return job;
    if (Date.now() > deadline) throw new Error(`import ${importId} still running: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function importAndWait(body: Readable | string): Promise<ContactImport> {
  return finished((await startImport(body)).id);
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const rows = await scratch.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from ${sql}`, params);
  return rows[0]!.n;
}

const generated = () => [...generateContactRows(plan)];

describe('contact CSV import', () => {
  it('imports exactly the good rows of 10,000 and reports every bad row with its line and reason', async () => {
    const rows = generated();
    const bad = rows.filter((row) => row.bad !== null);
    const good = rows.filter((row) => row.bad === null);
    expect(bad).toHaveLength(50);
    expect(new Set(bad.map((row) => row.bad)).size).toBe(10);

    const started = await startImport(Readable.from(contactCsvChunks(plan)));
    expect(started).toMatchObject({ status: 'running', processedRows: 0, created: 0, finishedAt: null });
    const job = await finished(started.id);

    expect(job).toMatchObject({
      status: 'completed',
      totalRows: 10_000,
      processedRows: 10_000,
      created: good.length,
      updated: 0,
      unchanged: 0,
      rejected: 50,
    });
    expect(job.errors.map((error) => error.line)).toEqual(bad.map((row) => row.line));
    for (const row of bad) {
      const reported = job.errors.find((error) => error.line === row.line);
      expect(reported?.messages.join(' | '), `line ${row.line} (${row.bad})`).toContain(expectedMessageOf[row.bad!]);
    }

    expect(await count('contact')).toBe(good.length);
    // Each good row is stored as written: site resolved by code, quoted fields intact, e-mail lower-cased.
    const sample = good.find((row) => row.siteId !== null && row.fields[6] !== '' && row.fields[5] !== '')!;
    const [stored] = await scratch.orm.em
      .fork()
      .execute<Record<string, unknown>[]>(
        'select account_id, site_id, first_name, last_name, phone, title from contact where email = ?',
        [sample.fields[4]],
      );
    expect(stored).toEqual({
      account_id: sample.accountId,
      site_id: sample.siteId,
      first_name: sample.fields[2],
      last_name: sample.fields[3],
      phone: sample.fields[5],
      title: sample.fields[6],
    });

    // One audit entry and one durable event per created contact, attributed to the caller.
    expect(await count(`audit_entry where entity = 'contact' and action = 'created'`)).toBe(good.length);
    expect(await count(`audit_entry where actor->>'userId' = 'staff-csv-it' and source_ip = '203.0.113.7'`)).toBe(
      good.length,
    );
    expect(await count(`outbox where type = 'directory.contact.created'`)).toBe(good.length);
    const [event] = await scratch.orm.em
      .fork()
      .execute<{ envelope: { data: unknown; accountId: string; traceId: string } }[]>(
        `select envelope from outbox where envelope->'data'->>'email' = ?`,
        [sample.fields[4]],
      );
    expect(eventContracts['directory.contact.created'].data.parse(event!.envelope.data)).toMatchObject({
      accountId: sample.accountId,
      siteId: sample.siteId,
      email: sample.fields[4],
    });
    expect(event!.envelope).toMatchObject({ accountId: sample.accountId, traceId: 'req-csv-it' });
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = {
      audit: await count('audit_entry'),
      outbox: await count('outbox'),
      touched: await count(`contact where updated_at <> created_at`),
    };
    const job = await importAndWait(Readable.from(contactCsvChunks(plan)));
    expect(job).toMatchObject({ status: 'completed', created: 0, updated: 0, unchanged: 9_950, rejected: 50 });
    expect(await count('contact')).toBe(9_950);
    expect(await count('audit_entry')).toBe(before.audit);
    expect(await count('outbox')).toBe(before.outbox);
    expect(await count(`contact where updated_at <> created_at`)).toBe(before.touched);
  });

  it('updates a changed row, with an audit entry and a directory.contact.updated event', async () => {
    const row = generated().find((candidate) => candidate.bad === null && candidate.siteId === null)!;
    const changed = [...row.fields];
    changed[6] = 'Head of purchasing';
    changed[1] = accounts.find((account) => account.id === row.accountId)!.sites[1]!.code.toLowerCase();
    const unchangedRow = generated().find((candidate) => candidate.bad === null && candidate.line > row.line)!;
    const job = await importAndWait(contactCsvHeaderLine + csvLineOf(changed) + csvLineOf(unchangedRow.fields));
    expect(job).toMatchObject({ status: 'completed', created: 0, updated: 1, unchanged: 1, rejected: 0 });

    const [contact] = await scratch.orm.em
      .fork()
      .execute<{ id: string; title: string; site_id: string }[]>(
        'select id, title, site_id from contact where email = ?',
        [row.fields[4]],
      );
    const newSite = accounts.find((account) => account.id === row.accountId)!.sites[1]!.id;
    expect(contact).toMatchObject({ title: 'Head of purchasing', site_id: newSite });
    const audit = await scratch.orm.em
      .fork()
      .execute<{ action: string; changes: unknown }[]>(
        `select action, changes from audit_entry where contact_id = ? order by id`,
        [contact!.id],
      );
    expect(audit.map((entry) => entry.action)).toEqual(['created', 'updated']);
    expect(audit[1]!.changes).toEqual({
      title: { from: row.fields[6] || null, to: 'Head of purchasing' },
      siteId: { from: null, to: newSite },
    });
    const events = await scratch.orm.em
      .fork()
      .execute<{ envelope: { data: unknown } }[]>(
        `select envelope from outbox where type = 'directory.contact.updated' and envelope->'data'->>'contactId' = ?`,
        [contact!.id],
      );
    expect(events.map((event) => event.envelope.data)).toEqual([
      { contactId: contact!.id, accountId: row.accountId, changed: ['siteId', 'title'] },
    ]);
  });

  it('shows its progress per batch while a larger file is still arriving', async () => {
    const more = await seedImportAccounts(scratch.orm.em.fork(), { accounts: 2, sitesPerAccount: 1, prefix: 'PRG' });
    const lines = [...generateContactRows({ rows: 20_000, accounts: more, badEvery: 0 })].map((row) =>
      csvLineOf(row.fields),
    );
    const body = new PassThrough();
    body.write(contactCsvHeaderLine + lines.slice(0, 5_500).join(''));
    // Sent the way the gateway sends a request body across the transporter: as the call's stream.
    const started = await startImport(body, true);

    let seen = started;
    const deadline = Date.now() + 30_000;
    while (seen.processedRows < 5_000 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      seen = await getImport(started.id);
    }
    // Five whole batches are committed and visible; the half batch still waits for its rows.
    expect(seen).toMatchObject({ status: 'running', processedRows: 5_000, created: 5_000, totalRows: null });
    expect(await count('contact where account_id = any(?::uuid[])', [`{${more.map((a) => a.id).join(',')}}`])).toBe(
      5_000,
    );

    body.end(lines.slice(5_500).join(''));
    const job = await finished(started.id);
    expect(job).toMatchObject({ status: 'completed', totalRows: 20_000, created: 20_000, rejected: 0 });
  });

  it('exports contacts in the import format, ordered, and the export re-imports as all unchanged', async () => {
    const live = await count('contact where archived_at is null');
    const csv = await text((await broker.call('directory.exportContacts', {}, { meta: staff })) as Readable);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('account_number,site_code,first_name,last_name,email,phone,title');
    expect(lines).toHaveLength(live + 1);
    const numbers = lines.slice(1).map((line) => line.split(',')[0]!);
    expect(numbers).toEqual([...numbers].sort());

    const job = await importAndWait(csv);
    expect(job).toMatchObject({ status: 'completed', created: 0, updated: 0, rejected: 0, unchanged: live });

    const one = accounts[1]!;
    const single = await text(
      (await broker.call('directory.exportContacts', { accountId: one.id }, { meta: staff })) as Readable,
    );
    const rows = single.trimEnd().split('\n').slice(1);
    expect(rows.length).toBe(await count('contact where account_id = ?', [one.id]));
    expect(rows.every((line) => line.startsWith(`${one.number},`))).toBe(true);
  });

  it('escapes formula-leading cells in the export and reads them back as stored', async () => {
    const one = accounts[2]!;
    const tricky = {
      first: '-Minus',
      last: "'t Hooft",
      email: 'formula.person@example.test',
      phone: '+49 30 1234',
      title: '=HYPERLINK("http://x.test","click")',
    };
    await scratch.orm.em
      .fork()
      .execute(
        `insert into contact (id, account_id, first_name, last_name, email, phone, title) values (?, ?, ?, ?, ?, ?, ?)`,
        [randomUUID(), one.id, tricky.first, tricky.last, tricky.email, tricky.phone, tricky.title],
      );
    const csv = await text(
      (await broker.call('directory.exportContacts', { accountId: one.id }, { meta: staff })) as Readable,
    );
    const line = csv.split('\n').find((row) => row.includes(tricky.email))!;
    expect(line).toBe(
      `${one.number},,'-Minus,''t Hooft,formula.person@example.test,'+49 30 1234,"'=HYPERLINK(""http://x.test"",""click"")"`,
    );
    // No cell of the export starts with a character a spreadsheet would evaluate.
    for (const row of csv.trimEnd().split('\n').slice(1)) {
      for (const cell of row.split(',')) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);
    }
    const job = await importAndWait(csv);
    expect(job).toMatchObject({ status: 'completed', created: 0, updated: 0, rejected: 0 });
    const [stored] = await scratch.orm.em
      .fork()
      .execute<Record<string, string>[]>('select first_name, last_name, phone, title from contact where email = ?', [
        tricky.email,
      ]);
    expect(stored).toEqual({
      first_name: tricky.first,
      last_name: tricky.last,
      phone: tricky.phone,
      title: tricky.title,
    });
  });

  it('stops a file with more rows than the cap at the first row beyond it', async () => {
    const capped = new moleculer.ServiceBroker({ logger: false, transporter: null, nodeID: 'capped' });
    capped.createService({
      name: 'directory',
      actions: contactImportActions({ orm: scratch.orm, importOptions: { maxRows: 3, batchSize: 2 } }),
    });
    await capped.start();
    try {
      const rows = [1, 2, 3, 4, 5].map((i) =>
        csvLineOf([accounts[0]!.number, '', `Cap${i}`, 'Rows', `cap.${i}@example.test`, '', '']),
      );
      const started = contactImportSchema.parse(
        await capped.call('directory.startContactImport', contactCsvHeaderLine + rows.join(''), { meta: staff }),
      );
      const job = await finished(started.id);
      expect(job).toMatchObject({ status: 'failed', processedRows: 3, created: 3 });
      expect(job.failure).toContain('more than 3 data rows');
      expect(job.errors).toEqual([{ line: 5, messages: [expect.stringContaining('IMPORT_TOO_LARGE')] }]);
      expect(await count(`contact where email like 'cap.%'`)).toBe(3);
    } finally {
      await capped.stop();
    }
  });

  it('refuses a file whose header is wrong with 400 CSV_INVALID, before any job starts', async () => {
    const jobs = await count('import_job');
    const wrongHeader = 'account_number,first_name,last_name,mail,phone,title\nCSV-1000,Ann,Lee,ann@example.test,,\n';
    await expect(startImport(wrongHeader)).rejects.toMatchObject({
      code: 400,
      type: 'CSV_INVALID',
      message: expect.stringMatching(/missing columns: site_code, email.*unknown columns: mail/),
    });
    await expect(startImport('')).rejects.toMatchObject({ code: 400, type: 'CSV_INVALID' });
    expect(await count('import_job')).toBe(jobs);
  });

  it('fails the job at the line where the file breaks, keeping the rows before it', async () => {
    const good = (i: number) =>
      csvLineOf([accounts[0]!.number, '', `Broken${i}`, 'File', `broken.${i}@example.test`, '', '']);
    const body =
      contactCsvHeaderLine + good(1) + good(2) + `${accounts[0]!.number},,"Bad"x,File,bad@example.test,,\n` + good(3);
    const job = await importAndWait(body);
    expect(job).toMatchObject({ status: 'failed', created: 2, processedRows: 2 });
    expect(job.failure).toContain('line 4');
    expect(job.errors).toEqual([{ line: 4, messages: [expect.stringContaining('could not be read at line 4')] }]);
    expect(await count(`contact where email like 'broken.%'`)).toBe(2);
  });

  it('reports a job whose process died as failed instead of running forever', async () => {
    const stalled = randomUUID();
    const slow = randomUUID();
    await scratch.orm.em.fork().execute(
      `insert into import_job (id, kind, status, actor, progressed_at) values
         (?, 'contacts', 'running', '{}', now() - interval '11 minutes'),
         (?, 'contacts', 'running', '{}', now() - interval '1 minute')`,
      [stalled, slow],
    );
    expect(await getImport(stalled)).toMatchObject({
      status: 'failed',
      failure: expect.stringContaining('import it again'),
    });
    expect(await getImport(slow)).toMatchObject({ status: 'running', failure: null });
  });

  it('keeps the first 1,000 row errors of a garbage file and counts all of them', async () => {
    const garbage = Array.from({ length: 1_500 }, (_, i) =>
      csvLineOf(['NOPE', '', 'A', 'B', `g${i}@example.test`, '', '']),
    );
    const job = await importAndWait(contactCsvHeaderLine + garbage.join(''));
    expect(job).toMatchObject({ status: 'completed', rejected: 1_500, created: 0, failure: null });
    expect(job.errors).toHaveLength(1_000);
    expect(job.errors.at(-1)!.line).toBe(1_001);
  });

  it('answers 404 for an unknown import, and for an export of an unknown account', async () => {
    const unknownId = '00000000-0000-4000-8000-000000000000';
    await expect(getImport(unknownId)).rejects.toMatchObject({ code: 404, type: 'IMPORT_NOT_FOUND' });
    await expect(
      broker.call('directory.exportContacts', { accountId: unknownId }, { meta: staff }),
    ).rejects.toMatchObject({ code: 404, type: 'ACCOUNT_NOT_FOUND' });
  });
});
