import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CsvReadError, openContactCsv, type CsvRecord } from '../../src/contact-import/contact-csv.reader.ts';

const header = 'account_number,site_code,first_name,last_name,email,phone,title';

async function readAll(body: string | string[]): Promise<{ records: CsvRecord[]; error: unknown }> {
  const reader = await openContactCsv(Readable.from(Array.isArray(body) ? body : [body]));
  const records: CsvRecord[] = [];
  try {
    for await (const record of reader.records) records.push(record);
    return { records, error: null };
  } catch (error) {
    return { records, error };
  }
}

describe('contacts CSV reader', () => {
  it('numbers records by the line they start on, across quoted line breaks, blank lines, CRLF and a BOM', async () => {
    const body = `\ufeff${header}\r\nA,,Ann,"Lee\r\nSmith",a@x.test,,\r\n\r\nA,,Bob,Ray,b@x.test,,\r\n`;
    const { records, error } = await readAll(body);
    expect(error).toBeNull();
    expect(records.map((record) => [record.line, record.fields[2], record.fields[3]])).toEqual([
      [2, 'Ann', 'Lee\r\nSmith'],
      [5, 'Bob', 'Ray'],
    ]);
  });

  it('reads records split across chunks', async () => {
    const { records } = await readAll([`${header}\nA,,An`, 'n,Lee,a@x.test,,\nA,,Bob,Ray,b@x', '.test,,\n']);
    expect(records.map((record) => record.fields[4])).toEqual(['a@x.test', 'b@x.test']);
  });

  it('hands over the records before a broken line, then the error with its line', async () => {
    const body = `${header}\r\nA,,Ann,"Lee\r\nSmith",a@x.test,,\r\nA,,"Bad"x,Lee,c@x.test,,\r\nA,,Bob,Ray,b@x.test,,\r\n`;
    const { records, error } = await readAll(body);
    expect(records.map((record) => record.line)).toEqual([2]);
    expect(error).toBeInstanceOf(CsvReadError);
    expect(error).toMatchObject({ line: 4, message: expect.stringContaining('Invalid Closing Quote') });
  });

  it('refuses a wrong header, an empty body and a body that is not CSV text with 400 CSV_INVALID', async () => {
    await expect(openContactCsv(Readable.from(['email,name\n']))).rejects.toMatchObject({
      code: 400,
      type: 'CSV_INVALID',
      data: { problems: [expect.stringContaining('missing columns'), 'unknown columns: name'] },
    });
    await expect(openContactCsv(Readable.from(['\n\n']))).rejects.toMatchObject({ code: 400, type: 'CSV_INVALID' });
    await expect(openContactCsv({ rows: [] })).rejects.toMatchObject({ code: 400, type: 'CSV_INVALID' });
  });
});
