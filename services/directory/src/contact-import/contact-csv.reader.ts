import { Readable, type TransformCallback } from 'node:stream';
import { Parser } from 'csv-parse';
import { contactCsvColumns } from '@portal/contracts';
import { checkContactCsvHeader, type ContactCsvHeader } from './contact-csv.rules.ts';
import { directoryError } from '../errors.ts';

/** The file is not well-formed CSV from `line` on (e.g. a stray quote); earlier records were good. */
export class CsvReadError extends Error {
  readonly line: number;

  constructor(line: number, message: string) {
    super(message);
    this.name = 'CsvReadError';
    this.line = line;
  }
}

/** One CSV record and the line it starts on (header = line 1). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export interface ContactCsvReader {
  header: ContactCsvHeader;
  /** The data records, streamed: the file is never held in memory. */
  records: AsyncIterable<CsvRecord>;
  /** The line after the last record read so far, for a failure that has no line of its own. */
  nextLine(): number;
  /** Stops reading the body when no job will consume it. */
  abandon(): void;
}

/** A record this large is garbage (or an unclosed quote swallowing the file); stop before it eats memory. */
const maxRecordChars = 64 * 1024;

/**
 * Reads the header of a contacts CSV before the import starts, so a wrong file fails at once with
 * 400 CSV_INVALID; the records are then pulled one by one, with backpressure on the request body.
 */
export async function openContactCsv(body: unknown): Promise<ContactCsvReader> {
  const input = readableOf(body);
  const parser = new InOrderErrorParser({
    bom: true,
    relax_column_count: true,
    max_record_size: maxRecordChars,
  });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);

  let lastLine = 0;
  const parsed = (async function* (): AsyncGenerator<CsvRecord> {
    for await (const item of parser as AsyncIterable<ParsedItem>) {
      if (!Array.isArray(item)) throw new CsvReadError(lastLine + 1, item.error.message);
      // A quoted field may span lines. Counted here rather than taken from csv-parse's info.lines,
      // which counts a CRLF inside quotes as two lines.
      const line = lastLine + 1;
      lastLine = line + lineBreaksIn(item);
      if (item.length === 1 && item[0]?.trim() === '') continue;
      yield { line, fields: item };
    }
  })();

  let first: IteratorResult<CsvRecord>;
  try {
    first = await parsed.next();
  } catch (error) {
    throw directoryError('CSV_INVALID', { message: `The CSV could not be read: ${messageOf(error)}` });
  }
  if (first.done) throw directoryError('CSV_INVALID', { message: 'The CSV is empty: a header row is required.' });
  const header = checkContactCsvHeader(first.value.fields);
  if (!header.ok) {
    parser.destroy();
    input.destroy();
    throw directoryError('CSV_INVALID', {
      message: `The CSV header is not valid: ${header.problems.join('; ')}.`,
      details: { problems: header.problems, expected: contactCsvColumns },
    });
  }
  return {
    header: header.header,
    records: { [Symbol.asyncIterator]: () => parsed },
    nextLine: () => lastLine + 1,
    abandon: () => {
      parser.destroy();
      input.destroy();
    },
  };
}

type ParsedItem = string[] | { error: Error };

function lineBreaksIn(fields: readonly string[]): number {
  let breaks = 0;
  for (const field of fields) breaks += field.match(/\r\n|\r|\n/g)?.length ?? 0;
  return breaks;
}

/**
 * csv-parse fails the stream as soon as a record of a chunk is broken, which drops the good records
 * parsed before it from the same chunk. This hands the error over after them, in order, so an
 * import keeps every row before the broken line.
 */
class InOrderErrorParser extends Parser {
  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    super._transform(chunk, encoding, this.#inOrder(callback));
  }

  override _flush(callback: TransformCallback): void {
    super._flush(this.#inOrder(callback));
  }

  #inOrder(callback: TransformCallback): TransformCallback {
    return (error) => {
      if (!error) return callback();
      this.push({ error });
      this.push(null);
      callback();
    };
  }
}

function readableOf(body: unknown): Readable {
  if (body instanceof Readable) return body;
  if (typeof body === 'string' || body instanceof Uint8Array) return Readable.from([body]);
  throw directoryError('CSV_INVALID', { message: 'Send the contacts as a text/csv request body.' });
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
