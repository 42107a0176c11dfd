import type { MigrationClass } from '@portal/kit';
import { EmailLogMigration } from './20261202200000-email-log.migration.ts';
import { BellMigration } from './20261225100000-bell.migration.ts';
import { EmailPreferencesMigration } from './20261226100000-email-preferences.migration.ts';
import { DigestRecipientNameMigration } from './20261228100000-digest-recipient-name.migration.ts';

/** Append-only: a landed migration is never edited; the durable-event tables come from the kit. */
export const notificationsMigrations: MigrationClass[] = [
  EmailLogMigration,
  BellMigration,
  // e-mail preferences, digests, the log's status
  EmailPreferencesMigration,
  // the digest greets its recipient by name
  DigestRecipientNameMigration,
];
