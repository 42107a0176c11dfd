import { Migration } from '@mikro-orm/migrations';

/**
 * The in-app bell: one row per recipient and notification. `sequence` orders the installation's
 * notifications (the SSE stream's event id, resumed after with `Last-Event-ID`); the unique key on
 * the source event and recipient makes a redelivered event notify nobody twice.
 */
export class BellMigration extends Migration {
  static migrationName = '20261225100000_bell';

  override up(): void {
    this.addSql(`
      create table notification (
        id uuid primary key,
        sequence bigserial not null,
        recipient_kind text not null check (recipient_kind in ('staff', 'contact')),
        recipient_id text not null,
        type text not null,
        title text not null,
        body text,
        link text not null,
        source_event_id uuid not null,
        read_at timestamptz,
        created_at timestamptz not null default now()
      )`);
    this.addSql('create unique index notification_sequence_key on notification (sequence)');
    this.addSql(
      'create unique index notification_source_recipient_key on notification (source_event_id, recipient_kind, recipient_id)',
    );
    this.addSql(
      'create index notification_recipient_sequence_idx on notification (recipient_kind, recipient_id, sequence desc)',
    );
    this.addSql(
      'create index notification_recipient_unread_idx on notification (recipient_kind, recipient_id, sequence desc) where read_at is null',
    );
  }

  override down(): void {
    this.addSql('drop table notification');
  }
}
