import type { MigrationClass } from '@portal/kit';
import { EmailLogMigration } from './20261202200000-email-log.migration.ts';
import { BellMigration } from './20261225100000-bell.migration.ts';

/** Append-only: a landed migration is never edited; the durable-event tables come from the kit. */
export const notificationsMigrations: MigrationClass[] = [EmailLogMigration, BellMigration];
