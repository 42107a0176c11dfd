import type { MigrationClass } from '@portal/kit';
import { InvitationsMigration } from './20261210100000-invitations.migration.ts';

/** Append-only: a landed migration is never edited; the durable-event tables come from the kit. */
export const identityMigrations: MigrationClass[] = [InvitationsMigration];
