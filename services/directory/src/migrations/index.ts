import type { MigrationClass } from '@portal/kit';
import { DirectoryModelMigration } from './20261122100000-directory-model.migration.ts';
import { VisibilityMigration } from './20261122110000-visibility.migration.ts';
import { ContactImportProgressMigration } from './20261122130000-contact-import-progress.migration.ts';
import { ImportJobsAndIdentityLinkMigration } from './20261201100000-import-jobs-and-identity-link.migration.ts';
import { VisibilityWithoutPerRowCallsMigration } from './20261201120000-visibility-without-per-row-calls.migration.ts';
import { ItemOwnerVisibilityMigration } from './20261201200000-item-owner-visibility.migration.ts';

/** Append-only, in order: a landed migration is never edited. The durable-event tables come from the kit. */
export const directoryMigrations: MigrationClass[] = [
  DirectoryModelMigration,
  VisibilityMigration,
  ContactImportProgressMigration,
  ImportJobsAndIdentityLinkMigration,
  VisibilityWithoutPerRowCallsMigration,
  ItemOwnerVisibilityMigration,
];
