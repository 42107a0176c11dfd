import { Migration } from '@mikro-orm/migrations';

/** When an import last made progress, so a job whose process died can be told from a slow one. */
export class ContactImportProgressMigration extends Migration {
  static migrationName = '20261122130000_contact_import_progress';

  override up(): void {
    this.addSql('alter table contact_import add column progressed_at timestamptz not null default now()');
    this.addSql("create index contact_import_running_idx on contact_import (progressed_at) where status = 'running'");
  }

  override down(): void {
    this.addSql('drop index contact_import_running_idx');
    this.addSql('alter table contact_import drop column progressed_at');
  }
}
