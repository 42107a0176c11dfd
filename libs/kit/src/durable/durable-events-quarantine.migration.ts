import { Migration } from '@mikro-orm/migrations';
import { DurableEventsMigration } from './durable-events.migration.ts';

/**
 * Poison handling for the durable-event tables: outbox rows count their failed publish attempts
 * and are quarantined after too many (the relay then skips them), and the inbox gets an index for
 * its retention purge. Every service lists this right after `DurableEventsMigration`.
 */
export class DurableEventsQuarantineMigration extends Migration {
  static migrationName = '20260101000100_durable_events_quarantine';

  override async up(): Promise<void> {
    this.addSql('alter table outbox add column attempts int not null default 0');
    this.addSql('alter table outbox add column last_error text null');
    this.addSql('alter table outbox add column quarantined_at timestamptz null');
    // The relay's scan skips quarantined rows; the old index would keep returning them first.
    this.addSql('drop index if exists outbox_unpublished_idx');
    this.addSql(
      'create index outbox_pending_idx on outbox (created_at) where published_at is null and quarantined_at is null',
    );
    this.addSql('create index outbox_quarantined_idx on outbox (quarantined_at) where quarantined_at is not null');
    this.addSql('create index inbox_applied_at_idx on inbox (consumer, applied_at)');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists inbox_applied_at_idx');
    this.addSql('drop index if exists outbox_quarantined_idx');
    this.addSql('drop index if exists outbox_pending_idx');
    this.addSql('create index outbox_unpublished_idx on outbox (created_at) where published_at is null');
    this.addSql('alter table outbox drop column quarantined_at');
    this.addSql('alter table outbox drop column last_error');
    this.addSql('alter table outbox drop column attempts');
  }
}

/** The kit's migrations, in order: every service schema lists them before its own. */
export const durableEventsMigrations = [DurableEventsMigration, DurableEventsQuarantineMigration] as const;
