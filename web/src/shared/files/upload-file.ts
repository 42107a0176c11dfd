import {
  documentContentTypes,
  maxDocumentSizeBytes,
  type DocumentContentType,
  type uploadRequestSchema,
  type UploadTicket,
} from '@portal/contracts';
import type { z } from 'zod';

/** What the start action is given: the file's name, its declared type and its size. */
export type UploadRequest = z.infer<typeof uploadRequestSchema>;

/** The content types people pick from and read, in their words ("PDF", "Word document (.docx)"). */
export const contentTypeNames: Record<DocumentContentType, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
  'image/tiff': 'TIFF image',
  'image/vnd.dwg': 'AutoCAD drawing (.dwg)',
  'application/zip': 'ZIP archive',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document (.docx)',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel workbook (.xlsx)',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint presentation (.pptx)',
  'text/plain': 'Text file (.txt)',
  'text/csv': 'CSV file',
};

/** The file name endings of each type: the fallback when the browser names no type, or another one. */
const extensionsOf: Record<DocumentContentType, readonly string[]> = {
  'application/pdf': ['.pdf'],
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg', '.jpe', '.jfif'],
  'image/gif': ['.gif'],
  'image/webp': ['.webp'],
  'image/tiff': ['.tif', '.tiff'],
  'image/vnd.dwg': ['.dwg'],
  'application/zip': ['.zip'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['.docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['.pptx'],
  'text/plain': ['.txt', '.text', '.log'],
  'text/csv': ['.csv'],
};

/** Other names browsers and systems give the same types (a CSV is `application/vnd.ms-excel` on Windows, so it is left to its extension). */
const aliases: Record<string, DocumentContentType> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/x-png': 'image/png',
  'image/dwg': 'image/vnd.dwg',
  'image/x-dwg': 'image/vnd.dwg',
  'application/acad': 'image/vnd.dwg',
  'application/x-zip-compressed': 'application/zip',
  'application/x-zip': 'application/zip',
  'text/x-csv': 'text/csv',
  'application/csv': 'text/csv',
};

const isDocumentContentType = (value: string): value is DocumentContentType =>
  (documentContentTypes as readonly string[]).includes(value);

const bytesPerMegabyte = 1024 * 1024;
const sizeNumber = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** A size as people read it: "812 bytes", "14.2 KB", "100 MB", "1 GB" (binary units, as file managers show them). */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${sizeNumber.format(value)} ${units[unit]}`;
}

/** Megabytes (as typed in a form) to bytes, and back. */
export const megabytesToBytes = (megabytes: number): number => Math.round(megabytes * bytesPerMegabyte);
export const bytesToMegabytes = (bytes: number): number => Math.round((bytes / bytesPerMegabyte) * 100) / 100;

/** "PDF, PNG image or Word document (.docx)". */
export function contentTypesInWords(types: readonly DocumentContentType[]): string {
  const names = types.map((type) => contentTypeNames[type]);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** The file chooser's `accept`: the types and their endings, so the system dialog offers the right files. */
export function acceptAttributeOf(types: readonly DocumentContentType[] = documentContentTypes): string {
  return types.flatMap((type) => [type, ...extensionsOf[type]]).join(',');
}

/** The limits a file type puts on its files (a `FileType` has these two fields). */
export interface FileLimits {
  allowedContentTypes: readonly DocumentContentType[];
  maxSizeBytes: number;
}

/**
 * What to declare a file as: the browser's type mapped into the contract's types, else what its
 * name ends with; with limits, the first candidate they allow. Null when none fits.
 */
export function contentTypeOf(
  file: { name: string; type: string },
  allowed: readonly DocumentContentType[] = documentContentTypes,
): DocumentContentType | null {
  const browserType = file.type.toLowerCase().split(';')[0]!.trim();
  const byBrowser = isDocumentContentType(browserType) ? browserType : aliases[browserType];
  const name = file.name.toLowerCase();
  const byName = documentContentTypes.filter((type) => extensionsOf[type].some((ending) => name.endsWith(ending)));
  const candidates = [...(byBrowser ? [byBrowser] : []), ...byName];
  return candidates.find((type) => allowed.includes(type)) ?? null;
}

/**
 * Why a file cannot be sent under these limits, in words (before any call), or null when it can.
 * `accepter` names what has the limits in the sentence ("this request", "Drawings"). The server
 * checks again, and checks what the bytes are; this only spares a pointless upload.
 */
export function fileProblemOf(
  file: { name: string; type: string; size: number },
  limits?: FileLimits,
  accepter = 'this file type',
): string | null {
  if (file.size === 0) return `“${file.name}” is empty.`;
  const allowed = limits?.allowedContentTypes ?? documentContentTypes;
  if (!contentTypeOf(file, allowed)) {
    return `“${file.name}” is not a kind of file ${accepter} accepts. It accepts: ${contentTypesInWords(allowed)}.`;
  }
  const maxSizeBytes = Math.min(limits?.maxSizeBytes ?? maxDocumentSizeBytes, maxDocumentSizeBytes);
  if (file.size > maxSizeBytes) {
    return `“${file.name}” is ${formatFileSize(file.size)}; ${accepter} accepts at most ${formatFileSize(maxSizeBytes)}.`;
  }
  return null;
}

/** A file refused before it reached the server, or by the storage server: `message` says why. */
export class UploadRefusedError extends Error {
  override readonly name = 'UploadRefusedError';
}

/** Where an upload is: asking for a ticket, sending the bytes, or having the server check them. */
export interface UploadProgress {
  phase: 'starting' | 'sending' | 'checking';
  sentBytes: number;
  totalBytes: number;
  /** 0–100, whole numbers; 100 once every byte is sent. */
  percent: number;
}

/**
 * Sends a file the documents way, for staff and portal screens alike: the start action issues a
 * presigned PUT (the `ticket`), the browser sends the bytes straight to the object store with
 * exactly the signed headers, and the finalize action checks the stored file and files it.
 * Resolves with what finalize answers; rejects with an ApiError (start, finalize), an
 * UploadRefusedError (the file, the PUT) or an AbortError (the signal).
 */
export async function uploadFile<Finalized>(options: {
  file: File;
  /** The file type's limits, checked in the browser before anything is sent. */
  limits?: FileLimits;
  start: (request: UploadRequest) => Promise<UploadTicket>;
  finalize: (uploadId: string) => Promise<Finalized>;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}): Promise<Finalized> {
  const { file, limits, onProgress, signal } = options;
  const problem = fileProblemOf(file, limits);
  const contentType = contentTypeOf(file, limits?.allowedContentTypes);
  if (problem || !contentType) throw new UploadRefusedError(problem ?? `“${file.name}” cannot be sent.`);
  const totalBytes = file.size;
  const report = (phase: UploadProgress['phase'], sentBytes: number) =>
    onProgress?.({ phase, sentBytes, totalBytes, percent: Math.min(100, Math.floor((sentBytes / totalBytes) * 100)) });

  report('starting', 0);
  const ticket = await options.start({ fileName: file.name, contentType, sizeBytes: totalBytes });
  signal?.throwIfAborted();
  await putFile(file, ticket, (sentBytes) => report('sending', sentBytes), signal);
  report('checking', totalBytes);
  return options.finalize(ticket.uploadId);
}

/** Headers the browser sets itself and refuses from scripts. */
const browserOwnedHeaders = new Set(['content-length', 'host', 'connection', 'expect']);

/** The PUT to the presigned address, with the ticket's headers and upload progress. */
function putFile(file: File, ticket: UploadTicket, onSent: (bytes: number) => void, signal?: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(ticket.method, ticket.url);
    for (const [name, value] of Object.entries(ticket.headers)) {
      if (!browserOwnedHeaders.has(name.toLowerCase())) request.setRequestHeader(name, value);
    }
    request.upload.onprogress = (event) => onSent(event.lengthComputable ? event.loaded : 0);
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onSent(file.size);
        resolve();
      } else {
        reject(
          new UploadRefusedError(
            `The storage server refused the upload (HTTP ${request.status}${storageCodeOf(request.responseText)}). Try again; if it keeps happening, tell an administrator.`,
          ),
        );
      }
    };
    request.onerror = () =>
      reject(
        new UploadRefusedError('The upload did not reach the storage server. Check the connection and try again.'),
      );
    request.ontimeout = request.onerror;
    request.onabort = () => reject(new DOMException('The upload was stopped.', 'AbortError'));
    if (signal) {
      if (signal.aborted) return request.abort();
      signal.addEventListener('abort', () => request.abort(), { once: true });
    }
    request.send(file);
  });
}

/** The S3 error's `<Code>` (e.g. SignatureDoesNotMatch, RequestTimeTooSkewed), for the person to quote. */
function storageCodeOf(body: string): string {
  const code = /<Code>([^<]{1,80})<\/Code>/.exec(body)?.[1];
  return code ? `, ${code}` : '';
}
