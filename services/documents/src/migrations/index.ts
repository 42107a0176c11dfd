import type { MigrationClass } from '@portal/kit';
import { DocumentsModelMigration } from './20261201210000-documents-model.migration.ts';
import { ProjectUploadsMigration } from './20261203100000-project-uploads.migration.ts';

/** Append-only, in order: a landed migration is never edited. The durable-event tables come from the kit. */
export const documentsMigrations: MigrationClass[] = [DocumentsModelMigration, ProjectUploadsMigration];
