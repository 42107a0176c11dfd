import { Migration } from '@mikro-orm/migrations';

/**
 * Invitations the identity service sent: Keycloak's action token expires on its own, but the
 * contact's status must return to `none` when it does, and staff list pending ones across accounts.
 */
export class InvitationsMigration extends Migration {
  static migrationName = '20261210100000_invitations';

  override up(): void {
    this.addSql(`create table invitation (
      id uuid primary key,
      contact_id uuid not null,
      account_id uuid not null,
      email text not null,
      identity_user_id text not null,
      status text not null check (status in ('pending', 'accepted', 'expired', 'cancelled')),
      invited_by jsonb not null,
      invited_at timestamptz not null default now(),
      expires_at timestamptz not null,
      resent_at timestamptz,
      sends int not null default 1 check (sends > 0),
      closed_at timestamptz
    )`);
    // One pending invitation per contact; the sweeper walks pending ones by expiry.
    this.addSql(
      "create unique index invitation_pending_contact_key on invitation (contact_id) where status = 'pending'",
    );
    this.addSql("create index invitation_pending_expiry_idx on invitation (expires_at) where status = 'pending'");
    this.addSql('create index invitation_listing_idx on invitation (status, invited_at desc, id desc)');
  }

  override down(): void {
    this.addSql('drop table invitation');
  }
}
