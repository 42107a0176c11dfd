import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';

/** What finalize learns from reading a stored object once: its size, digest, and what its bytes are. */
export interface ObjectFacts {
  sizeBytes: number;
  sha256: string;
  /** The MIME type of a binary signature found in the first bytes, if any. */
  detectedMime: string | undefined;
  /** Valid UTF-8 throughout, with no control characters but tab, line breaks and form feed. */
  isText: boolean;
}

// Enough for signatures that sit past the start (ZIP-based Office files name their parts early).
const headBytes = 64 * 1024;
// eslint-disable-next-line no-control-regex -- control characters are what makes bytes "not text"
const nonTextControl = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;

export async function inspectObject(stream: AsyncIterable<Uint8Array>): Promise<ObjectFacts> {
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const head: Buffer[] = [];
  let headLength = 0;
  let sizeBytes = 0;
  let isText = true;
  for await (const chunk of stream) {
    hash.update(chunk);
    sizeBytes += chunk.length;
    if (headLength < headBytes) {
      head.push(Buffer.from(chunk.subarray(0, headBytes - headLength)));
      headLength += Math.min(chunk.length, headBytes - headLength);
    }
    if (isText) {
      try {
        isText = !nonTextControl.test(decoder.decode(chunk, { stream: true }));
      } catch {
        isText = false;
      }
    }
  }
  if (isText) {
    try {
      decoder.decode();
    } catch {
      isText = false;
    }
  }
  const detected = await fileTypeFromBuffer(Buffer.concat(head));
  return { sizeBytes, sha256: hash.digest('hex'), detectedMime: detected?.mime, isText };
}
