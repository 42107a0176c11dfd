import { Migration } from '@mikro-orm/migrations';

/**
 * The e-mail log: which e-mail went to whom because of which event (operational, kept here; the
 * audit trail is the directory's). Never the body. One row per event and template, so a
 * redelivered event is not mailed twice once its send was recorded.
 */
export class EmailLogMigration extends Migration {
  static migrationName = '20261202200000_email_log';

  override up(): void {
    this.addSql(`
      create table email_log (
        id uuid primary key,
        event_id uuid not null,
        template text not null,
        recipient text not null,
        subject text not null,
        message_id text,
        sent_at timestamptz not null default now()
      )`);
    this.addSql('create unique index email_log_event_template_key on email_log (event_id, template)');
    this.addSql('create index email_log_recipient_idx on email_log (recipient, sent_at)');
  }

  override down(): void {
    this.addSql('drop table email_log');
  }
}
