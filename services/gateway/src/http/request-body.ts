import type { IncomingMessage } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { gatewayError, payloadTooLarge, unsupportedMediaType } from '../errors.ts';

/** `1mb`, `512kb` → bytes (the env schema admits only these forms). */
export function parseByteSize(size: string): number {
  const match = /^(\d+)(kb|mb)$/.exec(size);
  if (!match) throw new Error(`not a byte size: ${size}`);
  return Number(match[1]) * (match[2] === 'mb' ? 1024 * 1024 : 1024);
}

/** The media type of a request without its parameters, lower case (`application/json`). */
export function mediaTypeOf(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

const isJsonMediaType = (type: string) => type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return request.headers['transfer-encoding'] !== undefined;
}

function declaredLengthExceeds(request: IncomingMessage, limitBytes: number): boolean {
  const length = Number(request.headers['content-length']);
  return Number.isFinite(length) && length > limitBytes;
}

/** Reads and throws away the rest of a body we refused, so the connection stays usable for the client. */
function discard(request: IncomingMessage): void {
  request.removeAllListeners('data');
  request.resume();
}

/** The whole body, refused with 413 as soon as it passes `limitBytes` (declared or while arriving). */
export function readBodyWithin(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  if (declaredLengthExceeds(request, limitBytes)) {
    discard(request);
    return Promise.reject(payloadTooLarge(limitBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanUp();
        discard(request);
        reject(payloadTooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanUp();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanUp();
      reject(error);
    };
    const cleanUp = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}

/**
 * The JSON object a POST/PUT/PATCH sends. No body at all counts as `{}` (some actions take every
 * param from the path); otherwise the media type must be JSON (415), the size within the limit
 * (413), the text valid JSON (400 `INVALID_JSON`) and the value an object (400 `INVALID_BODY`).
 */
export async function readJsonObject(request: IncomingMessage, limitBytes: number): Promise<Record<string, unknown>> {
  if (!hasBody(request)) return {};
  if (!isJsonMediaType(mediaTypeOf(request))) {
    discard(request);
    throw unsupportedMediaType('application/json');
  }
  const raw = await readBodyWithin(request, limitBytes);
  if (raw.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw gatewayError('INVALID_JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw gatewayError('INVALID_BODY');
  return value as Record<string, unknown>;
}

/**
 * The RFC 8058 one-click form a mail client POSTs to a `List-Unsubscribe` URL: exactly
 * `List-Unsubscribe=One-Click`, which carries nothing for the action (`{}`); anything else 400
 * `INVALID_BODY`.
 */
export async function readOneClickForm(request: IncomingMessage, limitBytes: number): Promise<Record<string, unknown>> {
  const form = new URLSearchParams((await readBodyWithin(request, limitBytes)).toString('utf8'));
  const fields = [...form.entries()];
  if (fields.length !== 1 || form.get('List-Unsubscribe') !== 'One-Click') throw gatewayError('INVALID_BODY');
  return {};
}

/** A CSV upload, passed on as a stream that fails with 413 once it passes `limitBytes`. */
export interface LimitedStream {
  stream: Transform;
  /** Rejects with 413 when the limit is passed; never resolves otherwise. */
  exceeded: Promise<never>;
}

export function limitedCsvStream(request: IncomingMessage, limitBytes: number): LimitedStream {
  if (mediaTypeOf(request) !== 'text/csv') {
    discard(request);
    throw unsupportedMediaType('text/csv');
  }
  if (declaredLengthExceeds(request, limitBytes)) {
    discard(request);
    throw payloadTooLarge(limitBytes);
  }
  let size = 0;
  let onExceeded: (error: Error) => void = () => {};
  const exceeded = new Promise<never>((_resolve, reject) => {
    onExceeded = reject;
  });
  exceeded.catch(() => {}); // observed by whoever races it; no unhandled rejection otherwise
  const stream = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      size += chunk.length;
      if (size > limitBytes) {
        const error = payloadTooLarge(limitBytes);
        request.unpipe(stream);
        discard(request);
        onExceeded(error);
        callback(error);
        return;
      }
      callback(null, chunk);
    },
  });
  // The failure is reported through `exceeded`; an unheard 'error' event would crash the process.
  stream.on('error', () => {});
  request.on('error', (error) => stream.destroy(error));
  request.pipe(stream);
  return { stream, exceeded };
}
