import { Migration } from '@mikro-orm/migrations';

/**
 * One job table for every kind of import (contacts CSV, invoice references), and one contact per
 * identity user: two contacts linked to the same Keycloak user would share a login.
 */
export class ImportJobsAndIdentityLinkMigration extends Migration {
  static migrationName = '20261201100000_import_jobs_and_identity_link';

  override up(): void {
    this.addSql('alter table contact_import rename to import_job');
    this.addSql(
      "alter table import_job add column kind text not null default 'contacts' check (kind in ('contacts', 'invoice-references'))",
    );
    this.addSql('alter table import_job alter column kind drop default');
    // Running jobs per principal and in total are counted on every start (the import caps).
    this.addSql("create index import_job_running_actor_idx on import_job (actor) where status = 'running'");
    this.addSql(
      'create unique index contact_identity_user_key on contact (identity_user_id) where identity_user_id is not null',
    );
  }

  override down(): void {
    this.addSql('drop index contact_identity_user_key');
    this.addSql('drop index import_job_running_actor_idx');
    this.addSql('alter table import_job drop column kind');
    this.addSql('alter table import_job rename to contact_import');
  }
}
