import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestWithClientAddress extends IncomingMessage {
  clientAddress?: string | null;
}

const normalize = (address: string) => address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

/**
 * The client's address, for rate limits and the audit trail. `X-Forwarded-For` counts only behind
 * a trusted proxy (`GATEWAY_TRUST_PROXY=true`), and then only its last entry: the one that proxy
 * appended. Earlier entries are whatever the client chose to send.
 */
export function clientAddressOf(request: IncomingMessage, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const header = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
    const last = header
      ?.split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .at(-1);
    if (last) return normalize(last);
  }
  const remote = request.socket.remoteAddress;
  return remote ? normalize(remote) : null;
}

export function assignClientAddress(trustProxy: boolean) {
  return (request: RequestWithClientAddress, _response: ServerResponse, next: () => void): void => {
    request.clientAddress = clientAddressOf(request, trustProxy);
    next();
  };
}
