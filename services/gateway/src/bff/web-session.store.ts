import { createHash } from 'node:crypto';
import type { WebApp } from '@portal/contracts';
import type { RevocationRealm, ServiceOrm } from '@portal/kit';

type Em = ReturnType<ServiceOrm['em']['fork']>;

/** Sessions and pending logins are found by the SHA-256 of their secret; the secret itself is never stored. */
export const hashOf = (secret: string): string => createHash('sha256').update(secret).digest('base64url');

/** Who signed in, from the ID token: shown by `GET /auth/{app}/session`, not secret. */
export interface WebProfile {
  username: string | null;
  name: string | null;
  email: string | null;
}

export interface PendingLogin {
  app: WebApp;
  codeVerifierSealed: string;
  nonce: string;
  returnTo: string;
}

/** A session row; the `*Sealed` columns are encrypted tokens. */
export interface WebSessionRow {
  idHash: string;
  app: WebApp;
  realm: RevocationRealm;
  subject: string;
  keycloakSid: string | null;
  profile: WebProfile;
  accessTokenSealed: string;
  refreshTokenSealed: string | null;
  idTokenSealed: string | null;
  accessExpiresAt: Date;
  refreshExpiresAt: Date | null;
  version: number;
  createdAt: Date;
}

export type NewWebSession = Omit<WebSessionRow, 'version' | 'createdAt'>;
export type SessionTokens = Pick<
  WebSessionRow,
  'accessTokenSealed' | 'refreshTokenSealed' | 'idTokenSealed' | 'accessExpiresAt' | 'refreshExpiresAt'
>;

interface SessionRecord {
  id_hash: string;
  app: WebApp;
  realm: RevocationRealm;
  subject: string;
  keycloak_sid: string | null;
  profile: WebProfile | string;
  access_token_sealed: string;
  refresh_token_sealed: string | null;
  id_token_sealed: string | null;
  access_expires_at: Date | string;
  refresh_expires_at: Date | string | null;
  version: number;
  created_at: Date | string;
}

const dateOf = (value: Date | string) => (value instanceof Date ? value : new Date(value));

function rowOf(record: SessionRecord): WebSessionRow {
  return {
    idHash: record.id_hash,
    app: record.app,
    realm: record.realm,
    subject: record.subject,
    keycloakSid: record.keycloak_sid,
    profile: typeof record.profile === 'string' ? (JSON.parse(record.profile) as WebProfile) : record.profile,
    accessTokenSealed: record.access_token_sealed,
    refreshTokenSealed: record.refresh_token_sealed,
    idTokenSealed: record.id_token_sealed,
    accessExpiresAt: dateOf(record.access_expires_at),
    refreshExpiresAt: record.refresh_expires_at === null ? null : dateOf(record.refresh_expires_at),
    version: record.version,
    createdAt: dateOf(record.created_at),
  };
}

// A session whose refresh token has expired is over, whatever else it holds (Keycloak's idle and
// absolute limits); without a refresh token, the access token's expiry ends it.
const liveSession = 'coalesce(refresh_expires_at, access_expires_at) > now()';

export interface WebSessionStore {
  savePendingLogin(stateHash: string, login: PendingLogin, ttlSeconds: number): Promise<void>;
  /** The pending login of a `state`, removed in the same statement: single use. Null when unknown or expired. */
  takePendingLogin(stateHash: string, app: WebApp): Promise<PendingLogin | null>;
  create(session: NewWebSession): Promise<void>;
  /** A live session of the app; marks it seen. */
  find(idHash: string, app: WebApp): Promise<WebSessionRow | null>;
  /**
   * Runs `update` on the row locked `FOR UPDATE` in one transaction: a second replica refreshing the
   * same session waits, then sees the rotated tokens. `update` answers new tokens, or null to keep the row.
   */
  withLockedSession(
    idHash: string,
    update: (row: WebSessionRow) => Promise<SessionTokens | null>,
  ): Promise<WebSessionRow | null>;
  delete(idHash: string): Promise<WebSessionRow | null>;
  /** Ends every session of a Keycloak SSO session (back-channel logout). */
  deleteByKeycloakSid(realm: RevocationRealm, sid: string): Promise<number>;
  /** Ends a login's sessions created up to `before` (revocation), or all of them. */
  deleteBySubject(realm: RevocationRealm, subject: string, before?: Date): Promise<number>;
  /** Removes expired sessions and pending logins. */
  purgeExpired(): Promise<{ sessions: number; logins: number }>;
}

const affected = (result: unknown): number =>
  typeof result === 'object' && result !== null && 'affectedRows' in result
    ? Number((result as { affectedRows: number }).affectedRows)
    : Array.isArray(result)
      ? result.length
      : 0;

/** The store on the gateway's own schema (raw SQL: every path is a single-row read or write by key). */
export function webSessionStore(orm: ServiceOrm): WebSessionStore {
  const em = (): Em => orm.em.fork();
  return {
    async savePendingLogin(stateHash, login, ttlSeconds) {
      await em().execute(
        `insert into web_login (state_hash, app, code_verifier_sealed, nonce, return_to, expires_at)
         values (?, ?, ?, ?, ?, now() + make_interval(secs => ?))`,
        [stateHash, login.app, login.codeVerifierSealed, login.nonce, login.returnTo, ttlSeconds],
      );
    },
    async takePendingLogin(stateHash, app) {
      const rows = await em().execute<
        { app: WebApp; code_verifier_sealed: string; nonce: string; return_to: string; live: boolean }[]
      >(
        `delete from web_login where state_hash = ? and app = ?
         returning app, code_verifier_sealed, nonce, return_to, expires_at > now() as live`,
        [stateHash, app],
      );
      const row = rows[0];
      if (!row?.live) return null;
      return { app: row.app, codeVerifierSealed: row.code_verifier_sealed, nonce: row.nonce, returnTo: row.return_to };
    },
    async create(session) {
      await em().execute(
        `insert into web_session (id_hash, app, realm, subject, keycloak_sid, profile, access_token_sealed,
           refresh_token_sealed, id_token_sealed, access_expires_at, refresh_expires_at)
         values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)`,
        [
          session.idHash,
          session.app,
          session.realm,
          session.subject,
          session.keycloakSid,
          JSON.stringify(session.profile),
          session.accessTokenSealed,
          session.refreshTokenSealed,
          session.idTokenSealed,
          session.accessExpiresAt,
          session.refreshExpiresAt,
        ],
      );
    },
    async find(idHash, app) {
      const rows = await em().execute<SessionRecord[]>(
        `update web_session set last_seen_at = now() where id_hash = ? and app = ? and ${liveSession} returning *`,
        [idHash, app],
      );
      return rows[0] ? rowOf(rows[0]) : null;
    },
    async withLockedSession(idHash, update) {
      return em().transactional(async (tx) => {
        const rows = await tx.execute<SessionRecord[]>(
          `select * from web_session where id_hash = ? and ${liveSession} for update`,
          [idHash],
        );
        if (!rows[0]) return null;
        const row = rowOf(rows[0]);
        const tokens = await update(row);
        if (!tokens) return row;
        await tx.execute(
          `update web_session set access_token_sealed = ?, refresh_token_sealed = ?, id_token_sealed = ?,
             access_expires_at = ?, refresh_expires_at = ?, version = version + 1, last_seen_at = now()
           where id_hash = ?`,
          [
            tokens.accessTokenSealed,
            tokens.refreshTokenSealed,
            tokens.idTokenSealed,
            tokens.accessExpiresAt,
            tokens.refreshExpiresAt,
            idHash,
          ],
        );
        return { ...row, ...tokens, version: row.version + 1 };
      });
    },
    async delete(idHash) {
      const rows = await em().execute<SessionRecord[]>('delete from web_session where id_hash = ? returning *', [
        idHash,
      ]);
      return rows[0] ? rowOf(rows[0]) : null;
    },
    async deleteByKeycloakSid(realm, sid) {
      const rows = await em().execute<{ id_hash: string }[]>(
        'delete from web_session where realm = ? and keycloak_sid = ? returning id_hash',
        [realm, sid],
      );
      return rows.length;
    },
    async deleteBySubject(realm, subject, before) {
      const rows = await em().execute<{ id_hash: string }[]>(
        before
          ? 'delete from web_session where realm = ? and subject = ? and created_at <= ? returning id_hash'
          : 'delete from web_session where realm = ? and subject = ? returning id_hash',
        before ? [realm, subject, before] : [realm, subject],
      );
      return rows.length;
    },
    async purgeExpired() {
      const sessions = await em().execute(`delete from web_session where not (${liveSession})`, [], 'run');
      const logins = await em().execute('delete from web_login where expires_at <= now()', [], 'run');
      return { sessions: affected(sessions), logins: affected(logins) };
    },
  };
}
