import type { IncomingMessage, ServerResponse } from 'node:http';
import type moleculer from 'moleculer';
import type { PortalRequest } from '../auth/portal-auth.middleware.ts';
import type { StaffRequest } from '../auth/staff-auth.middleware.ts';
import { unauthenticated } from '../errors.ts';
import type { BellStreamRequest, BellStreams } from './bell-streams.ts';
import { resumeAfterOf } from './sse-frames.ts';

/**
 * Whose bell a stream rings: from the authenticated principal only (bearer token or the web
 * session's, already verified by the route's middleware), never from the request.
 */
export function bellStreamRequestOf(request: IncomingMessage, bell: 'staff' | 'portal'): BellStreamRequest {
  const url = new URL(
    (request as { originalUrl?: string }).originalUrl ?? request.url ?? '/',
    'http://gateway.invalid',
  );
  const resumeAfter = resumeAfterOf(request.headers['last-event-id'], url.searchParams.get('lastEventId'));
  if (bell === 'staff') {
    const principal = (request as StaffRequest).principal;
    if (!principal) throw unauthenticated('missing_token');
    return {
      recipient: { kind: 'staff', id: principal.userId },
      realm: 'staff',
      subject: principal.userId,
      resumeAfter,
    };
  }
  const principal = (request as PortalRequest).portalPrincipal;
  if (!principal) throw unauthenticated('missing_token');
  return {
    recipient: { kind: 'contact', id: principal.contactId },
    realm: 'portal',
    subject: principal.userId,
    resumeAfter,
  };
}

/** The moleculer-web alias of `GET …/notifications/stream`: keeps the response open as an SSE stream. */
export function bellStreamAlias(streams: BellStreams, bell: 'staff' | 'portal') {
  return function (
    this: moleculer.Service,
    request: IncomingMessage & { $ctx?: moleculer.Context },
    response: ServerResponse,
    next: (error?: Error) => void,
  ): void {
    let open: BellStreamRequest;
    try {
      open = bellStreamRequestOf(request, bell);
    } catch (error) {
      next(error as Error);
      return;
    }
    streams.serve(request.$ctx ?? this.broker, request, response, open, this.logger).catch((error: Error) => {
      if (!response.headersSent) next(error);
      else response.destroy();
    });
  };
}
