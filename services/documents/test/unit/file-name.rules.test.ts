import { describe, expect, it } from 'vitest';
import { attachmentDisposition, sanitizeFileName } from '../../src/domain/file-name.rules.ts';

describe('sanitizeFileName', () => {
  it.each([
    ['Plant layout.pdf', 'Plant layout.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\ann\\report.pdf', 'report.pdf'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['zero\u200Bwidth.pdf', 'zerowidth.pdf'],
    ['tab\tand\nnew line.pdf', 'tab and new line.pdf'],
    ['..hidden', 'hidden'],
    ['trailing dots... ', 'trailing dots'],
    ['what?<>|*.pdf', 'what_____.pdf'],
    ['Cafe\u0301.pdf', 'Café.pdf'],
  ])('%j → %j', (declared, stored) => {
    expect(sanitizeFileName(declared)).toBe(stored);
  });

  it('refuses a name with nothing usable left', () => {
    expect(sanitizeFileName('../')).toBeNull();
    expect(sanitizeFileName('\u202E\u200B')).toBeNull();
    expect(sanitizeFileName('...')).toBeNull();
  });

  it('shortens to 200 characters and keeps the extension', () => {
    const stored = sanitizeFileName(`${'a'.repeat(300)}.pdf`) ?? '';
    expect(Array.from(stored)).toHaveLength(200);
    expect(stored.endsWith('.pdf')).toBe(true);
  });
});

describe('attachmentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(attachmentDisposition('Größe "1".pdf')).toBe(
      `attachment; filename="Gr__e _1_.pdf"; filename*=UTF-8''Gr%C3%B6%C3%9Fe%20%221%22.pdf`,
    );
  });
});
