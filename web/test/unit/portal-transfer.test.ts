import { describe, expect, it } from 'vitest';
import {
  contentTypeOf,
  contentTypesInWords,
  fileProblemOf,
  formatFileSize,
} from '../../src/portal/documents/transfer.ts';

const pdfOnly = { allowedContentTypes: ['application/pdf' as const], maxSizeBytes: 5 * 1024 * 1024 };

describe('what a chosen file is declared as, before any call', () => {
  it("takes the browser's type when the contract knows it, else the name's ending, within what is allowed", () => {
    expect(contentTypeOf({ name: 'plan.pdf', type: 'application/pdf' })).toBe('application/pdf');
    expect(contentTypeOf({ name: 'PLAN.PDF', type: '' })).toBe('application/pdf');
    // Windows calls a CSV "application/vnd.ms-excel": the ending decides.
    expect(contentTypeOf({ name: 'rows.csv', type: 'application/vnd.ms-excel' })).toBe('text/csv');
    expect(contentTypeOf({ name: 'photo.jpeg', type: '' }, ['image/png'])).toBeNull();
    expect(contentTypeOf({ name: 'setup.exe', type: 'application/x-msdownload' })).toBeNull();
  });

  it('says why a file cannot answer a request: empty, a kind it does not accept, or over the size limit', () => {
    expect(fileProblemOf({ name: 'a.pdf', type: 'application/pdf', size: 1200 }, pdfOnly)).toBeNull();
    expect(fileProblemOf({ name: 'a.pdf', type: 'application/pdf', size: 0 }, pdfOnly)).toBe('“a.pdf” is empty.');
    expect(fileProblemOf({ name: 'notes.txt', type: 'text/plain', size: 10 }, pdfOnly)).toBe(
      '“notes.txt” is not a kind of file this request accepts. It accepts: PDF.',
    );
    expect(fileProblemOf({ name: 'big.pdf', type: 'application/pdf', size: 6 * 1024 * 1024 }, pdfOnly)).toBe(
      '“big.pdf” is 6 MB; this request accepts at most 5 MB.',
    );
  });

  it('reads sizes and kinds as people do', () => {
    expect(formatFileSize(1)).toBe('1 byte');
    expect(formatFileSize(812)).toBe('812 bytes');
    expect(formatFileSize(14_541)).toBe('14.2 KB');
    expect(formatFileSize(1024 ** 3)).toBe('1 GB');
    expect(contentTypesInWords(['application/pdf', 'image/png', 'text/csv'])).toBe('PDF, PNG image or CSV file');
  });
});
