import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const acceptableRequestId = /^[A-Za-z0-9._:-]{8,128}$/;

export interface RequestWithId extends IncomingMessage {
  requestId?: string;
}

/** Keeps a caller's `X-Request-Id` when it is sane (so traces join up), otherwise mints one. */
export function assignRequestId(request: RequestWithId, response: ServerResponse, next: () => void): void {
  const given = request.headers['x-request-id'];
  request.requestId = typeof given === 'string' && acceptableRequestId.test(given) ? given : randomUUID();
  response.setHeader('x-request-id', request.requestId);
  next();
}

export function requestIdOf(request: IncomingMessage): string {
  return (request as RequestWithId).requestId ?? randomUUID();
}
