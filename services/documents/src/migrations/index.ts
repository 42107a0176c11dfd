import type { MigrationClass } from '@portal/kit';

/** Append-only: a landed migration is never edited; the durable-event tables come from the kit. */
export const documentsMigrations: MigrationClass[] = [];
