import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { contactCsvColumns } from '@portal/contracts';
import type { ServiceOrm } from '@portal/kit';
import { escapeCsvCell } from '@portal/kit';

const pageSize = 1000;

interface ExportRow {
  account_number: string;
  site_code: string | null;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  last_key: string;
  first_key: string;
  id: string;
}

/**
 * Live contacts as CSV in the import format (same header, same columns), by account number, then
 * name. Cells that a spreadsheet would run as a formula are escaped (`escapeCsvCell`); the import
 * reads them back unescaped. Streamed page by page with keyset pagination, pulled by the reader: memory stays flat.
 */
export function contactCsvExport(orm: ServiceOrm, accountId?: string): Readable {
  return Readable.from(exportChunks(orm, accountId), { objectMode: false });
}

async function* exportChunks(orm: ServiceOrm, accountId: string | undefined): AsyncGenerator<string> {
  yield stringify([[...contactCsvColumns]]);
  const accounts = await orm.em
    .fork()
    .execute<{ id: string }[]>(
      accountId === undefined
        ? 'select id from account where archived_at is null order by lower(number), id'
        : 'select id from account where id = ?',
      accountId === undefined ? [] : [accountId],
    );
  for (const account of accounts) {
    let after: [string, string, string] | null = null;
    for (;;) {
      const rows: ExportRow[] = await orm.em.fork().execute<ExportRow[]>(
        `select a.number as account_number, s.code as site_code, c.first_name, c.last_name, c.email, c.phone, c.title,
           lower(c.last_name) as last_key, lower(c.first_name) as first_key, c.id
         from contact c
           join account a on a.id = c.account_id
           left join site s on s.id = c.site_id
         where c.account_id = ? and c.archived_at is null
           ${after ? 'and (lower(c.last_name), lower(c.first_name), c.id) > (?, ?, ?::uuid)' : ''}
         order by lower(c.last_name), lower(c.first_name), c.id
         limit ?`,
        [account.id, ...(after ?? []), pageSize],
      );
      if (rows.length === 0) break;
      yield stringify(
        rows.map((row) =>
          [
            row.account_number,
            row.site_code ?? '',
            row.first_name,
            row.last_name,
            row.email ?? '',
            row.phone ?? '',
            row.title ?? '',
          ].map(escapeCsvCell),
        ),
      );
      const last = rows[rows.length - 1]!;
      after = [last.last_key, last.first_key, last.id];
      if (rows.length < pageSize) break;
    }
  }
}
