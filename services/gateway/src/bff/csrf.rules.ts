import { webRequestHeader } from '@portal/contracts';

/** Methods that never change anything and so need no CSRF proof. */
const safeMethods = new Set(['GET', 'HEAD']);

export interface CsrfFacts {
  method: string;
  /** Lower-case header names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** The origin of PORTAL_PUBLIC_URL, e.g. `https://portal.example.com`. */
  publicOrigin: string;
}

export type CsrfVerdict = { allowed: true } | { allowed: false; reason: 'header' | 'origin' };

const single = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;

/**
 * A request authenticated by a session cookie may change something only when it carries the web
 * UI's custom header (a cross-site form cannot set one, and a cross-site fetch with it needs a
 * preflight the gateway never grants) and comes from the portal's own origin: `Origin` equal to
 * PORTAL_PUBLIC_URL's, or without `Origin`, `Sec-Fetch-Site: same-origin`. Neither: refused.
 */
export function csrfVerdict(facts: CsrfFacts): CsrfVerdict {
  if (safeMethods.has(facts.method.toUpperCase())) return { allowed: true };
  if (single(facts.headers[webRequestHeader.name]) !== webRequestHeader.value)
    return { allowed: false, reason: 'header' };
  const origin = single(facts.headers['origin']);
  if (origin !== undefined)
    return origin === facts.publicOrigin ? { allowed: true } : { allowed: false, reason: 'origin' };
  return single(facts.headers['sec-fetch-site']) === 'same-origin'
    ? { allowed: true }
    : { allowed: false, reason: 'origin' };
}
