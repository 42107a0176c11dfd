import { Migration } from '@mikro-orm/migrations';

/**
 * Outbox, inbox and dead-letter tables of the durable-event layer, in the service's own schema.
 * Every service lists this migration first.
 */
export class DurableEventsMigration extends Migration {
  static migrationName = '20260101000000_durable_events';

  override async up(): Promise<void> {
    this.addSql(`create table outbox (
      id uuid primary key,
      type text not null,
      subject text not null,
      envelope jsonb not null,
      created_at timestamptz not null default now(),
      published_at timestamptz null
    )`);
    // The relay only ever scans unpublished rows, oldest first; published ones stay out of the index.
    this.addSql('create index outbox_unpublished_idx on outbox (created_at) where published_at is null');
    this.addSql('create index outbox_published_at_idx on outbox (published_at) where published_at is not null');
    this.addSql(`create table inbox (
      consumer text not null,
      event_id uuid not null,
      type text not null,
      applied_at timestamptz not null default now(),
      primary key (consumer, event_id)
    )`);
    // event_id is null when a message was too malformed to read it; envelope then holds the raw text.
    this.addSql(`create table dead_letter (
      id bigserial primary key,
      consumer text not null,
      event_id uuid null,
      subject text not null,
      envelope jsonb not null,
      error text not null,
      deliveries int not null,
      failed_at timestamptz not null default now()
    )`);
    this.addSql('create index dead_letter_consumer_idx on dead_letter (consumer, failed_at)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists dead_letter');
    this.addSql('drop table if exists inbox');
    this.addSql('drop table if exists outbox');
  }
}
