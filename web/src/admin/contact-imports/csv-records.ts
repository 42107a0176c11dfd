/** One CSV record and the line it starts on (the header is line 1), as the directory numbers them. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * An RFC 4180 reader fed in chunks (a file's stream): quoted fields may hold commas, quotes and
 * line breaks; CRLF, LF and CR end a record; a BOM is dropped; blank lines are skipped. Line
 * numbers follow the directory's reader (a quoted line break, CRLF or not, is one line), so a
 * problem found here names the same line the import would. Lenient where the server is strict: a
 * stray quote inside an unquoted field is kept as text, and the server has the last word.
 */
export class CsvRecordReader {
  readonly #onRecord: (record: CsvRecord) => void;
  #fields: string[] = [];
  #field = '';
  #quoted = false;
  #afterQuote = false;
  #lastWasCr = false;
  #line = 1;
  #recordLine = 1;
  #started = false;

  constructor(onRecord: (record: CsvRecord) => void) {
    this.#onRecord = onRecord;
  }

  push(chunk: string): void {
    let text = chunk;
    if (!this.#started) {
      this.#started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    for (const char of text) {
      const lfAfterCr = this.#lastWasCr && char === '\n';
      this.#lastWasCr = char === '\r';
      if (this.#quoted) {
        if (char === '"') {
          this.#quoted = false;
          this.#afterQuote = true;
        } else {
          if ((char === '\n' && !lfAfterCr) || char === '\r') this.#line += 1;
          this.#field += char;
        }
        continue;
      }
      if (char === '"') {
        if (this.#afterQuote) {
          // `""` inside a quoted field: one quote, and the field goes on.
          this.#field += '"';
          this.#quoted = true;
          this.#afterQuote = false;
        } else if (this.#field === '') {
          this.#quoted = true;
        } else {
          this.#field += char;
        }
        continue;
      }
      this.#afterQuote = false;
      if (char === ',') {
        this.#fields.push(this.#field);
        this.#field = '';
      } else if (char === '\n' || char === '\r') {
        if (lfAfterCr) continue;
        this.#endRecord();
        this.#line += 1;
        this.#recordLine = this.#line;
      } else {
        this.#field += char;
      }
    }
  }

  /** Ends the input; an unclosed quote is an error naming the line its record starts on. */
  end(): void {
    if (this.#quoted) throw new Error(`line ${this.#recordLine}: a quoted field is not closed`);
    this.#endRecord();
  }

  #endRecord(): void {
    this.#fields.push(this.#field);
    const fields = this.#fields;
    this.#fields = [];
    this.#field = '';
    this.#afterQuote = false;
    if (fields.length === 1 && fields[0]!.trim() === '') return;
    this.#onRecord({ line: this.#recordLine, fields });
  }
}

/** Feeds a file through a reader without holding more than a chunk of it. */
export async function readCsvFile(file: Blob, onRecord: (record: CsvRecord) => void): Promise<void> {
  const reader = new CsvRecordReader(onRecord);
  const chunks = file.stream().pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await chunks.read();
    if (done) break;
    reader.push(value);
  }
  reader.end();
}

/** How many data records (rows after the header) a CSV file holds; null when it cannot be read. */
export async function countCsvDataRows(file: Blob): Promise<number | null> {
  let records = 0;
  try {
    await readCsvFile(file, () => {
      records += 1;
    });
  } catch {
    return null;
  }
  return Math.max(0, records - 1);
}
