import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UploadTicket } from '@portal/contracts';
import {
  contentTypeOf,
  fileProblemOf,
  formatFileSize,
  uploadFile,
  UploadRefusedError,
  type UploadProgress,
} from '../../src/shared/files/upload-file.ts';

const pdfOnly = { allowedContentTypes: ['application/pdf'] as const, maxSizeBytes: 1024 * 1024 };

describe('what a chosen file is declared as', () => {
  it("takes the browser's type, its aliases, and else the name's ending", () => {
    expect(contentTypeOf({ name: 'plan.pdf', type: 'application/pdf' })).toBe('application/pdf');
    expect(contentTypeOf({ name: 'photo.JPG', type: 'image/jpg' })).toBe('image/jpeg');
    expect(contentTypeOf({ name: 'drawing.dwg', type: '' })).toBe('image/vnd.dwg');
    expect(contentTypeOf({ name: 'PLAN.PDF', type: '' })).toBe('application/pdf');
    expect(contentTypeOf({ name: 'photo.jpeg', type: '' }, ['image/png'])).toBeNull();
    // Windows calls a CSV an Excel file: the ending decides.
    expect(contentTypeOf({ name: 'rows.csv', type: 'application/vnd.ms-excel' })).toBe('text/csv');
    expect(contentTypeOf({ name: 'setup.exe', type: 'application/x-msdownload' })).toBeNull();
  });

  it('picks a candidate the file type allows', () => {
    expect(contentTypeOf({ name: 'notes.csv', type: 'text/csv' }, ['text/plain'])).toBeNull();
    expect(contentTypeOf({ name: 'notes.txt', type: 'text/plain' }, ['text/plain', 'text/csv'])).toBe('text/plain');
  });

  it('says before any call why a file does not fit, listing what is accepted', () => {
    expect(fileProblemOf({ name: 'a.png', type: 'image/png', size: 10 }, pdfOnly)).toBe(
      '“a.png” is not a kind of file this file type accepts. It accepts: PDF.',
    );
    expect(
      fileProblemOf(
        { name: 'a.png', type: 'image/png', size: 10 },
        { allowedContentTypes: ['application/pdf', 'image/jpeg', 'text/csv'], maxSizeBytes: 1 },
      ),
    ).toBe('“a.png” is not a kind of file this file type accepts. It accepts: PDF, JPEG image or CSV file.');
    expect(fileProblemOf({ name: 'big.pdf', type: 'application/pdf', size: 2 * 1024 * 1024 }, pdfOnly)).toBe(
      '“big.pdf” is 2 MB; this file type accepts at most 1 MB.',
    );
    expect(fileProblemOf({ name: 'empty.pdf', type: 'application/pdf', size: 0 }, pdfOnly)).toBe(
      '“empty.pdf” is empty.',
    );
    expect(fileProblemOf({ name: 'ok.pdf', type: 'application/pdf', size: 100 }, pdfOnly)).toBeNull();
    // The portal says what has the limits: the request.
    expect(fileProblemOf({ name: 'notes.txt', type: 'text/plain', size: 10 }, pdfOnly, 'this request')).toBe(
      '“notes.txt” is not a kind of file this request accepts. It accepts: PDF.',
    );
  });

  it('writes sizes the way file managers do', () => {
    expect(formatFileSize(1)).toBe('1 byte');
    expect(formatFileSize(812)).toBe('812 bytes');
    expect(formatFileSize(14_540)).toBe('14.2 KB');
    expect(formatFileSize(100 * 1024 * 1024)).toBe('100 MB');
    expect(formatFileSize(1024 ** 3)).toBe('1 GB');
  });
});

/** A stand-in for the browser's XMLHttpRequest: records the PUT, reports progress, answers `status`. */
class FakeRequest {
  static status = 200;
  static last: FakeRequest | null = null;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  status = 0;
  responseText = '';
  body: unknown;
  upload: { onprogress: ((event: { lengthComputable: boolean; loaded: number }) => void) | null } = {
    onprogress: null,
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
    FakeRequest.last = this;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  abort() {
    this.onabort?.();
  }
  send(body: { size: number }) {
    this.body = body;
    setTimeout(() => {
      this.upload.onprogress?.({ lengthComputable: true, loaded: Math.floor(body.size / 2) });
      this.status = FakeRequest.status;
      if (this.status >= 400) this.responseText = '<Error><Code>SignatureDoesNotMatch</Code></Error>';
      this.onload?.();
    }, 0);
  }
}

describe('sending a file', () => {
  const ticket: UploadTicket = {
    uploadId: '7b0c0a52-4f5e-4a53-9a4e-6f0f3f7d9c11',
    method: 'PUT',
    url: 'http://127.0.0.1:9000/bucket/object?X-Amz-Signature=abc',
    headers: { 'content-type': 'application/pdf', 'Content-Length': '8', 'x-amz-meta-upload': 'u1' },
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
  };
  const file = new File(['%PDF-1.7'], 'report.pdf', { type: 'application/pdf' });

  afterEach(() => {
    vi.unstubAllGlobals();
    FakeRequest.status = 200;
  });

  it('starts, PUTs with the signed headers (not the browser-owned ones), reports progress, and finalizes', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeRequest);
    const progress: UploadProgress[] = [];
    const start = vi.fn(async () => ticket);
    const finalize = vi.fn(async (uploadId: string) => ({ uploadId, number: 1 }));
    const result = await uploadFile({ file, limits: pdfOnly, start, finalize, onProgress: (p) => progress.push(p) });
    expect(start).toHaveBeenCalledWith({ fileName: 'report.pdf', contentType: 'application/pdf', sizeBytes: 8 });
    expect(FakeRequest.last?.method).toBe('PUT');
    expect(FakeRequest.last?.url).toBe(ticket.url);
    expect(FakeRequest.last?.headers).toEqual({ 'content-type': 'application/pdf', 'x-amz-meta-upload': 'u1' });
    expect(FakeRequest.last?.body).toBe(file);
    expect(result).toEqual({ uploadId: ticket.uploadId, number: 1 });
    expect(progress.map((p) => [p.phase, p.percent])).toEqual([
      ['starting', 0],
      ['sending', 50],
      ['sending', 100],
      ['checking', 100],
    ]);
  });

  it('refuses a file that does not fit before calling anything', async () => {
    const start = vi.fn(async () => ticket);
    const upload = uploadFile({
      file: new File(['x'], 'a.exe', { type: 'application/x-msdownload' }),
      limits: pdfOnly,
      start,
      finalize: async () => null,
    });
    await expect(upload).rejects.toThrow(UploadRefusedError);
    await expect(upload).rejects.toThrow('this file type accepts. It accepts: PDF.');
    expect(start).not.toHaveBeenCalled();
  });

  it('says the storage server refused a PUT it did not take, and does not finalize', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeRequest);
    FakeRequest.status = 403;
    const finalize = vi.fn(async () => null);
    await expect(uploadFile({ file, start: async () => ticket, finalize })).rejects.toThrow(
      'The storage server refused the upload (HTTP 403, SignatureDoesNotMatch)',
    );
    expect(finalize).not.toHaveBeenCalled();
  });
});
