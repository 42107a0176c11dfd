import { documentContentTypes, type DocumentContentType, type UploadTicket } from '@portal/contracts';

// The portal's side of presigned transfers. The shared helpers (`shared/files/…`) come from the
// admin screens' branch; until they land, the portal screens use these, written to the same
// steps: start → PUT with exactly the ticket's headers → finalize; download: link → navigate.

/** What people read for each content type ("PDF", "Word document"). */
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

/** File name endings per type: the fallback when the browser names no type (or one of its own). */
const endingsOf: Record<DocumentContentType, readonly string[]> = {
  'application/pdf': ['.pdf'],
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/gif': ['.gif'],
  'image/webp': ['.webp'],
  'image/tiff': ['.tif', '.tiff'],
  'image/vnd.dwg': ['.dwg'],
  'application/zip': ['.zip'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['.docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['.pptx'],
  'text/plain': ['.txt'],
  'text/csv': ['.csv'],
};

const isContentType = (value: string): value is DocumentContentType =>
  (documentContentTypes as readonly string[]).includes(value);

/**
 * What to declare a file as, among `allowed`: the browser's type when it is one of the contract's,
 * else what the name ends with. Null when nothing allowed fits.
 */
export function contentTypeOf(
  file: { name: string; type: string },
  allowed: readonly DocumentContentType[] = documentContentTypes,
): DocumentContentType | null {
  const browserType = file.type.toLowerCase().split(';')[0]?.trim() ?? '';
  const name = file.name.toLowerCase();
  const candidates = [
    ...(isContentType(browserType) ? [browserType] : []),
    ...documentContentTypes.filter((type) => endingsOf[type].some((ending) => name.endsWith(ending))),
  ];
  return candidates.find((type) => allowed.includes(type)) ?? null;
}

const sizeNumber = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** "812 bytes", "14.2 KB", "10 MB" (binary units, as file managers show them). */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB', 'TB'] as const;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${sizeNumber.format(value)} ${units[unit]}`;
}

/** "PDF, PNG image or Word document (.docx)". */
export function contentTypesInWords(types: readonly DocumentContentType[]): string {
  const names = types.map((type) => contentTypeNames[type]);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** The file chooser's `accept`: the types and their endings, so the system dialog offers the right files. */
export function acceptOf(types: readonly DocumentContentType[]): string {
  return types.flatMap((type) => [type, ...endingsOf[type]]).join(',');
}

/** Why a file cannot answer a request with these limits, in words, or null when it can (checked before any call). */
export function fileProblemOf(
  file: { name: string; type: string; size: number },
  limits: { allowedContentTypes: readonly DocumentContentType[]; maxSizeBytes: number },
): string | null {
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (!contentTypeOf(file, limits.allowedContentTypes)) {
    return `“${file.name}” is not a kind of file this request accepts. It accepts: ${contentTypesInWords(limits.allowedContentTypes)}.`;
  }
  if (file.size > limits.maxSizeBytes) {
    return `“${file.name}” is ${formatFileSize(file.size)}; this request accepts at most ${formatFileSize(limits.maxSizeBytes)}.`;
  }
  return null;
}

/** The storage server refused or never got the bytes; `message` says so in words. */
export class TransferError extends Error {
  override readonly name = 'TransferError';
}

/** Headers the browser sets itself and refuses from scripts. */
const browserOwnedHeaders = new Set(['content-length', 'host', 'connection', 'expect']);

/**
 * Sends a file the presigned way: `start` issues the ticket, the bytes go straight to the object
 * store (a PUT with exactly the ticket's signed headers, progress reported in whole percent), then
 * `finalize` has the service check and file them. Resolves with what finalize answers.
 */
export async function uploadWithProgress<T>(options: {
  start: () => Promise<UploadTicket>;
  finalize: (uploadId: string) => Promise<T>;
  file: File;
  onProgress: (percent: number) => void;
}): Promise<T> {
  const { file, onProgress } = options;
  onProgress(0);
  const ticket = await options.start();
  await new Promise<void>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(ticket.method, ticket.url);
    for (const [name, value] of Object.entries(ticket.headers)) {
      if (!browserOwnedHeaders.has(name.toLowerCase())) request.setRequestHeader(name, value);
    }
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(Math.floor((event.loaded / event.total) * 100));
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(100);
        resolve();
        return;
      }
      const code = /<Code>([^<]{1,80})<\/Code>/.exec(request.responseText)?.[1];
      reject(
        new TransferError(
          `The storage server refused the file (HTTP ${request.status}${code ? `, ${code}` : ''}). Please try again.`,
        ),
      );
    };
    request.onerror = () =>
      reject(new TransferError('The file did not reach the storage server. Check your connection and try again.'));
    request.ontimeout = request.onerror;
    request.send(file);
  });
  return options.finalize(ticket.uploadId);
}

/**
 * Downloads through a short-lived link: `link` asks the service (which logs the download), then the
 * browser goes to it; the store answers as an attachment, so the page stays where it is.
 */
export async function downloadVia(link: () => Promise<{ url: string }>): Promise<void> {
  const { url } = await link();
  window.location.assign(url);
}
