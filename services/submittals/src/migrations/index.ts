import type { MigrationClass } from '@portal/kit';
import { SubmittalsModelMigration } from './20261203120000-submittals-model.migration.ts';

/** Append-only, in order: a landed migration is never edited. The durable-event tables come from the kit. */
export const submittalsMigrations: MigrationClass[] = [SubmittalsModelMigration];
