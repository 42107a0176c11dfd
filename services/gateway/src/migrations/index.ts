import type { MigrationClass } from '@portal/kit';
import { WebSessionsMigration } from './20261220100000-web-sessions.migration.ts';

/** Append-only: a landed migration is never edited. The gateway has no durable events. */
export const gatewayMigrations: MigrationClass[] = [WebSessionsMigration];
