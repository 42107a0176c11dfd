import type { MigrationClass } from '@portal/kit';
import { SelfServiceMigration } from './20261202200000-self-service.migration.ts';

/** Append-only: a landed migration is never edited; the durable-event tables come from the kit. */
export const identityMigrations: MigrationClass[] = [SelfServiceMigration];
