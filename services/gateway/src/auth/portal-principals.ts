import type { ActionResult, PortalPrincipalsChanged } from '@portal/contracts';
import { gatewayError } from '../errors.ts';

/** The contact behind a portal token: what portal actions receive as `ctx.meta.actor`. */
export interface PortalPrincipal {
  contactId: string;
  accountId: string;
  /** The Keycloak user id (`sub`). */
  userId: string;
}

/** The directory's answer for a login, or null when no contact is linked to it. */
export type PortalPrincipalFacts = ActionResult<'directory.resolvePortalPrincipal'> | null;

export interface PortalPrincipalResolver {
  /** The contact of a verified portal login; 403 `PORTAL_ACCESS_DISABLED` unless its access is enabled. */
  resolve(userId: string): Promise<PortalPrincipal>;
  /** Drops what a change may have made stale (a `cache.portal-principals.changed` broadcast). */
  invalidate(change: Required<PortalPrincipalsChanged>): void;
  /** Entries held now (tests, status). */
  size(): number;
}

export interface PortalPrincipalCacheOptions {
  /** How long one answer of the directory is used; 0 asks it on every request. */
  ttlMs: number;
  /** At most this many logins are held; the oldest go first. */
  maxEntries?: number;
  /** Asks the directory (`directory.resolvePortalPrincipal`), null for a login without a contact. */
  lookup(userId: string): Promise<PortalPrincipalFacts>;
  now?: () => number;
}

interface Entry {
  facts: PortalPrincipalFacts;
  expiresAt: number;
}

/**
 * Portal principals without a directory call per request: each login's answer is kept for
 * `ttlMs` (negative answers too, so a login without a contact does not hammer the directory),
 * concurrent misses share one lookup, and the directory's broadcasts drop entries as soon as a
 * contact's access, e-mail, scope or archive state, or a login's link, changes. A lookup that was
 * under way when such a change arrived is used for its own request but not kept.
 */
export function cachedPortalPrincipals(options: PortalPrincipalCacheOptions): PortalPrincipalResolver {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 50_000;
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<PortalPrincipalFacts>>();
  let generation = 0;

  async function factsOf(userId: string): Promise<PortalPrincipalFacts> {
    const cached = entries.get(userId);
    if (cached && cached.expiresAt > now()) return cached.facts;
    if (cached) entries.delete(userId);
    const pending = inFlight.get(userId);
    if (pending) return pending;
    const startedIn = generation;
    const lookup = options.lookup(userId).finally(() => inFlight.delete(userId));
    inFlight.set(userId, lookup);
    const facts = await lookup;
    if (options.ttlMs > 0 && startedIn === generation) {
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(userId, { facts, expiresAt: now() + options.ttlMs });
    }
    return facts;
  }

  return {
    async resolve(userId) {
      const facts = await factsOf(userId);
      if (!facts?.accessEnabled) throw gatewayError('PORTAL_ACCESS_DISABLED');
      return { contactId: facts.contactId, accountId: facts.accountId, userId };
    },
    invalidate(change) {
      generation++;
      inFlight.clear();
      const userIds = new Set(change.identityUserIds);
      const contactIds = new Set(change.contactIds);
      const accountIds = new Set(change.accountIds);
      for (const [userId, entry] of entries) {
        const facts = entry.facts;
        if (
          userIds.has(userId) ||
          (facts !== null && (contactIds.has(facts.contactId) || accountIds.has(facts.accountId)))
        ) {
          entries.delete(userId);
        }
      }
    },
    size: () => entries.size,
  };
}
