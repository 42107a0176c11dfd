import { Migration } from '@mikro-orm/migrations';

/**
 * A held message keeps its recipient's name, so the digest greets them as the immediate e-mails do
 * (the sweep has no broker to ask the directory or identity). Null for rows held before.
 */
export class DigestRecipientNameMigration extends Migration {
  static migrationName = '20261228100000_digest_recipient_name';

  override up(): void {
    this.addSql('alter table email_digest_item add column recipient_name text');
  }

  override down(): void {
    this.addSql('alter table email_digest_item drop column recipient_name');
  }
}
