import type { UploadTicket } from '@portal/contracts';

/**
 * Files for document tests, made at runtime: a tiny real PDF, an ELF executable header, and the
 * EICAR test string (joined from two halves, so no scanner on a developer's machine flags this file).
 */
export function pdfBytes(text = 'Hello'): Buffer {
  return Buffer.from(
    `%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

export function elfBytes(): Buffer {
  const header = Buffer.alloc(256);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(header);
  return header;
}

export function eicarBytes(): Buffer {
  return Buffer.from(`X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-` + `ANTIVIRUS-TEST-FILE!$H+H*`);
}

/** The browser's part of an upload, by a plain HTTP client: PUT the bytes with the ticket's signed headers. */
export async function putToTicket(ticket: UploadTicket, bytes: Buffer, headers = ticket.headers): Promise<Response> {
  return fetch(ticket.url, { method: 'PUT', headers, body: bytes });
}
