import type { WebApp } from '@portal/contracts';

/**
 * The session cookie of a web UI. On https it is a `__Host-` cookie (Secure, Path=/, no Domain:
 * bound to exactly this origin); on plain http (development and tests on localhost) browsers
 * refuse `__Host-` and `Secure`, so the same name without the prefix and without `Secure`.
 */
export interface SessionCookie {
  name: string;
  secure: boolean;
}

const baseNames: Record<WebApp, string> = { admin: 'portal-admin-session', portal: 'portal-session' };

export function sessionCookieOf(app: WebApp, publicUrl: string): SessionCookie {
  const secure = new URL(publicUrl).protocol === 'https:';
  return { name: secure ? `__Host-${baseNames[app]}` : baseNames[app], secure };
}

const attributesOf = (cookie: SessionCookie) => `${cookie.secure ? '; Secure' : ''}; HttpOnly; SameSite=Strict; Path=/`;

/** `Set-Cookie` for a new session: a browser-session cookie; the server decides when it ends. */
export const setSessionCookie = (cookie: SessionCookie, sessionId: string): string =>
  `${cookie.name}=${sessionId}${attributesOf(cookie)}`;

/** `Set-Cookie` that removes it. */
export const clearSessionCookie = (cookie: SessionCookie): string =>
  `${cookie.name}=${attributesOf(cookie)}; Max-Age=0`;

/** A session id as the gateway issues them: 32 random bytes, base64url (43 characters). */
export const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;

/** The cookie's value in a `Cookie` header, when it is there and looks like a session id. */
export function sessionIdFromCookieHeader(header: string | undefined, cookie: SessionCookie): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() !== cookie.name) continue;
    const value = part.slice(index + 1).trim();
    if (sessionIdPattern.test(value)) return value;
  }
  return null;
}
