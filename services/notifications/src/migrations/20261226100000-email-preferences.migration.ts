import { Migration } from '@mikro-orm/migrations';

/**
 * E-mail preferences, the digest queue and the e-mail log's status. The log gains a status (a row
 * now exists for a held or suppressed message too, so `sent_at` is null until it is sent), the
 * recipient (kind and id, for e-mails to staff and contacts) and the event type; one row per
 * event, template and address, so an event mails each recipient once even when redelivered.
 */
export class EmailPreferencesMigration extends Migration {
  static migrationName = '20261226100000_email_preferences';

  override up(): void {
    this.addSql(`
      alter table email_log
        add column status text not null default 'sent'
          check (status in ('queued', 'sent', 'failed', 'held', 'suppressed')),
        add column recipient_kind text check (recipient_kind in ('staff', 'contact')),
        add column recipient_id text,
        add column event_type text,
        add column error text,
        add column created_at timestamptz not null default now()`);
    this.addSql('update email_log set created_at = sent_at');
    this.addSql('alter table email_log alter column sent_at drop not null, alter column sent_at drop default');
    this.addSql('drop index email_log_event_template_key');
    this.addSql(
      'create unique index email_log_event_template_recipient_key on email_log (event_id, template, recipient)',
    );
    this.addSql('create index email_log_created_idx on email_log (created_at desc, id desc)');

    this.addSql(`
      create table notification_preference (
        recipient_kind text not null check (recipient_kind in ('staff', 'contact')),
        recipient_id text not null,
        event_type text not null,
        delivery text not null check (delivery in ('immediately', 'daily-digest', 'off')),
        updated_at timestamptz not null default now(),
        primary key (recipient_kind, recipient_id, event_type)
      )`);

    this.addSql(`
      create table email_digest_item (
        id uuid primary key,
        email_log_id uuid not null references email_log (id) on delete cascade,
        recipient_kind text not null check (recipient_kind in ('staff', 'contact')),
        recipient_id text not null,
        address text not null,
        event_type text not null,
        summary text not null,
        link text not null,
        created_at timestamptz not null default now(),
        sent_at timestamptz
      )`);
    this.addSql(
      'create index email_digest_item_pending_idx on email_digest_item (recipient_kind, recipient_id, created_at) where sent_at is null',
    );
  }

  override down(): void {
    this.addSql('drop table email_digest_item');
    this.addSql('drop table notification_preference');
    this.addSql('drop index email_log_created_idx');
    this.addSql('drop index email_log_event_template_recipient_key');
    this.addSql("delete from email_log where status <> 'sent' or sent_at is null");
    this.addSql('create unique index email_log_event_template_key on email_log (event_id, template)');
    this.addSql('alter table email_log alter column sent_at set default now(), alter column sent_at set not null');
    this.addSql(`
      alter table email_log
        drop column created_at, drop column error, drop column event_type,
        drop column recipient_id, drop column recipient_kind, drop column status`);
  }
}
