import type { DocumentContentType } from '@portal/contracts';

/** What `file-type` reports for the binary formats we accept, mapped onto the contract's names. */
const detectedMimeAliases: Record<string, DocumentContentType> = {
  'application/pdf': 'application/pdf',
  'image/png': 'image/png',
  'image/jpeg': 'image/jpeg',
  'image/gif': 'image/gif',
  'image/webp': 'image/webp',
  'image/tiff': 'image/tiff',
  'image/vnd.dwg': 'image/vnd.dwg',
  'application/zip': 'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation':
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

const textTypes: ReadonlySet<DocumentContentType> = new Set(['text/plain', 'text/csv']);

/**
 * What a file really is, from its sniffed signature (`detectedMime`, undefined when no binary
 * signature matched) and whether its bytes are text. Null when it is nothing we accept.
 */
export function contentTypeOf(detectedMime: string | undefined, isText: boolean): DocumentContentType | 'text' | null {
  if (detectedMime !== undefined) return detectedMimeAliases[detectedMime] ?? null;
  return isText ? 'text' : null;
}

/**
 * Whether the bytes may be stored as the declared type: a binary type must be exactly what the
 * signature says (an executable named `.pdf` is refused); a text type needs text with no signature.
 */
export function matchesDeclared(declared: DocumentContentType, detected: DocumentContentType | 'text' | null): boolean {
  if (detected === 'text') return textTypes.has(declared);
  return detected === declared;
}
