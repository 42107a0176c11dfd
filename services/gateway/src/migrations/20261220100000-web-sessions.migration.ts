import { Migration } from '@mikro-orm/migrations';

/**
 * The web UIs' sessions (the gateway as backend-for-frontend) and their pending sign-ins. Only
 * hashes of session ids and of `state` are stored; tokens and PKCE verifiers are encrypted
 * (AES-256-GCM, GATEWAY_SESSION_SECRET) and never leave the gateway.
 */
export class WebSessionsMigration extends Migration {
  static migrationName = '20261220100000_web_sessions';

  override up(): void {
    this.addSql(`create table web_login (
      state_hash text primary key,
      app text not null check (app in ('admin', 'portal')),
      code_verifier_sealed text not null,
      nonce text not null,
      return_to text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`);
    this.addSql('create index web_login_expiry_idx on web_login (expires_at)');
    this.addSql(`create table web_session (
      id_hash text primary key,
      app text not null check (app in ('admin', 'portal')),
      realm text not null check (realm in ('staff', 'portal')),
      subject text not null,
      keycloak_sid text,
      profile jsonb not null,
      access_token_sealed text not null,
      refresh_token_sealed text,
      id_token_sealed text,
      access_expires_at timestamptz not null,
      refresh_expires_at timestamptz,
      version int not null default 0,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now()
    )`);
    this.addSql('create index web_session_subject_idx on web_session (realm, subject)');
    this.addSql('create index web_session_sid_idx on web_session (realm, keycloak_sid)');
    this.addSql('create index web_session_refresh_expiry_idx on web_session (refresh_expires_at)');
  }

  override down(): void {
    this.addSql('drop table web_session');
    this.addSql('drop table web_login');
  }
}
