import type { KV, NatsConnection, QueuedIterator, KvEntry } from 'nats';

/**
 * The installation-wide list of revoked logins (DESIGN "Revocation"): Keycloak cannot recall an
 * access token it issued, so revoking writes `<realm>.<subject> → revokedAt` here and every gateway
 * replica, watching the bucket, refuses that subject's tokens issued before `revokedAt`.
 */
export const REVOCATION_BUCKET = 'portal-revocations';

/** Realms whose subjects can be revoked. */
export type RevocationRealm = 'staff' | 'portal';

export interface RevocationListOptions {
  /**
   * How long an entry lives. It must outlast the longest access token (and refresh) lifespan, or an
   * old token would be accepted again once its entry is gone. The bucket keeps the first setting.
   */
  entryTtlMs: number;
}

export interface RevocationList {
  /** Records that `subject` of `realm` lost access at `at`; tokens issued before it are refused. */
  revoke(realm: RevocationRealm, subject: string, at?: Date): Promise<void>;
}

export type RevocationListener = (realm: RevocationRealm, subject: string, revokedAt: number) => void;

export interface RevocationWatcher {
  /** When the subject's access was revoked (epoch ms), if it was: tokens issued before are refused. */
  revokedAt(realm: RevocationRealm, subject: string): number | undefined;
  /** True while a token issued at `issuedAtSeconds` (the JWT `iat`) is refused. */
  isRevoked(realm: RevocationRealm, subject: string, issuedAtSeconds: number): boolean;
  /**
   * Calls `listener` for every entry put on the list once it is loaded (not for the entries it
   * loaded: `revokedAt` answers for those), e.g. to end a subject's web sessions at once. Answers
   * the function that unsubscribes.
   */
  subscribe(listener: RevocationListener): () => void;
  /** Resolves once the entries that existed when watching began are loaded. */
  ready: Promise<void>;
  /** For readiness: rejects until the list is loaded, and once the watch has ended without `stop`. */
  check(): Promise<void>;
  stop(): Promise<void>;
}

// KV keys are NATS subject tokens: letters, digits, `-`, `_`, `=` and `.` separating tokens.
const keyOf = (realm: RevocationRealm, subject: string): string => {
  if (!/^[A-Za-z0-9_=-]+$/.test(subject)) throw new Error(`Cannot key a revocation by subject "${subject}".`);
  return `${realm}.${subject}`;
};

async function openBucket(nats: NatsConnection, options: RevocationListOptions): Promise<KV> {
  return nats.jetstream().views.kv(REVOCATION_BUCKET, { ttl: options.entryTtlMs, history: 1 });
}

/** The writing side (the identity service): puts one entry per revocation. */
export async function openRevocationList(
  nats: NatsConnection,
  options: RevocationListOptions,
): Promise<RevocationList> {
  const kv = await openBucket(nats, options);
  const encoder = new TextEncoder();
  return {
    async revoke(realm, subject, at = new Date()) {
      await kv.put(keyOf(realm, subject), encoder.encode(JSON.stringify({ revokedAt: at.toISOString() })));
    },
  };
}

/**
 * The reading side (every gateway replica): a local map kept current by a KV watch, so checking a
 * token costs a map lookup. The watch replays existing entries first (`ready`), then pushes new ones
 * as they are written, which is how a revocation reaches every replica within milliseconds.
 */
export async function watchRevocations(
  nats: NatsConnection,
  options: RevocationListOptions,
): Promise<RevocationWatcher> {
  const kv = await openBucket(nats, options);
  const revoked = new Map<string, number>();
  const listeners = new Set<RevocationListener>();
  const notify = (key: string, revokedAt: number) => {
    const dot = key.indexOf('.');
    const realm = key.slice(0, dot);
    if (realm !== 'staff' && realm !== 'portal') return;
    for (const listener of listeners) {
      try {
        listener(realm, key.slice(dot + 1), revokedAt);
      } catch {
        // A listener's failure is its own; the list stays current.
      }
    }
  };
  const decoder = new TextDecoder();
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  let loaded = false;
  let stopping = false;
  let ended: string | null = null;
  const watch: QueuedIterator<KvEntry> = await kv.watch({
    key: '>',
    initializedFn: () => {
      loaded = true;
      markReady();
    },
  });
  const running = (async () => {
    for await (const entry of watch) {
      if (entry.operation !== 'PUT') {
        revoked.delete(entry.key);
        continue;
      }
      const revokedAt = Date.parse((JSON.parse(decoder.decode(entry.value)) as { revokedAt?: string }).revokedAt ?? '');
      if (Number.isFinite(revokedAt)) {
        revoked.set(entry.key, revokedAt);
        if (loaded) notify(entry.key, revokedAt);
      }
    }
  })().then(
    () => {
      if (!stopping) ended = 'the revocation watch ended';
    },
    (error: unknown) => {
      ended = `the revocation watch failed: ${error instanceof Error ? error.message : String(error)}`;
    },
  );

  const revokedAtOf = (realm: RevocationRealm, subject: string) => revoked.get(`${realm}.${subject}`);
  return {
    ready,
    revokedAt: revokedAtOf,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    isRevoked(realm, subject, issuedAtSeconds) {
      const revokedAt = revokedAtOf(realm, subject);
      // `iat` has whole seconds: a token issued in the same second as the revocation is refused too.
      return revokedAt !== undefined && issuedAtSeconds * 1000 <= revokedAt;
    },
    async check() {
      if (ended) throw new Error(ended);
      if (!loaded) throw new Error('the revocation list is still loading');
    },
    async stop() {
      stopping = true;
      watch.stop();
      await running.catch(() => undefined);
    },
  };
}
