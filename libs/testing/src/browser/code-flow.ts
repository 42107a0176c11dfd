import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CodeFlowTokens {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  expiresIn: number;
}

export interface CodeFlowLogin {
  /** Open this in the browser: Keycloak's real login page for the realm. */
  authorizationUrl: string;
  redirectUri: string;
  /** Waits for Keycloak to send the browser back with a code, checks `state`, exchanges the code (PKCE). */
  tokens(timeoutMs?: number): Promise<CodeFlowTokens>;
  close(): Promise<void>;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/**
 * The OAuth authorization code flow with PKCE (S256) the way a native app does it (RFC 8252): a
 * public client (the dev seed's `portal-cli`) with a loopback redirect on a free port of
 * 127.0.0.1. The test drives the login page in a browser; this side listens for the redirect and
 * exchanges the code at the token endpoint, so the token is one Keycloak issued after a real login.
 */
export async function startCodeFlowLogin(options: {
  keycloakUrl: string;
  realm: string;
  clientId?: string;
  scope?: string;
}): Promise<CodeFlowLogin> {
  const clientId = options.clientId ?? 'portal-cli';
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash('sha256').update(verifier).digest());
  const state = base64url(randomBytes(16));
  let settle: { resolve(code: string): void; reject(error: Error): void } | undefined;
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  code.catch(() => undefined);

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      response.writeHead(404).end();
      return;
    }
    const error = url.searchParams.get('error');
    const answer = (status: number, title: string) =>
      response
        .writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<!doctype html><html lang="en"><title>${title}</title><main><h1>${title}</h1></main></html>`);
    if (error) {
      answer(400, 'Sign-in failed');
      settle?.reject(
        new Error(
          `Keycloak sent the browser back with error=${error}: ${url.searchParams.get('error_description') ?? ''}`,
        ),
      );
    } else if (url.searchParams.get('state') !== state) {
      answer(400, 'Sign-in failed');
      settle?.reject(new Error('the redirect came back with another state'));
    } else {
      answer(200, 'Signed in');
      settle?.resolve(url.searchParams.get('code') ?? '');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  const realmUrl = `${options.keycloakUrl}/realms/${options.realm}/protocol/openid-connect`;
  const authorizationUrl =
    `${realmUrl}/auth?` +
    new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: options.scope ?? 'openid',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();

  return {
    authorizationUrl,
    redirectUri,
    async tokens(timeoutMs = 30_000) {
      const timer = setTimeout(
        () => settle?.reject(new Error(`no redirect to ${redirectUri} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      try {
        const response = await fetch(`${realmUrl}/token`, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            client_id: clientId,
            code: await code,
            redirect_uri: redirectUri,
            code_verifier: verifier,
          }),
          signal: AbortSignal.timeout(10_000),
        });
        const body = (await response.json()) as Record<string, unknown>;
        if (!response.ok) throw new Error(`code exchange answered ${response.status}: ${JSON.stringify(body)}`);
        return {
          accessToken: String(body['access_token']),
          refreshToken: typeof body['refresh_token'] === 'string' ? body['refresh_token'] : null,
          idToken: typeof body['id_token'] === 'string' ? body['id_token'] : null,
          expiresIn: Number(body['expires_in']),
        };
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
