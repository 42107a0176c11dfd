import type { EntityManager } from '@mikro-orm/postgresql';
import type moleculer from 'moleculer';
import type { SystemOptions } from '@portal/contracts';
import { callerOf, contractAction } from '@portal/kit';
import { changesBetween } from '../audit/audit-trail.ts';
import { recordChange } from '../audit/record-change.ts';
import { definedFields } from '../domain/patch.ts';
import type { DirectoryStore } from '../persistence/directory-store.ts';
import { isoOrNull, type SqlTimestamp } from '../persistence/sql-values.ts';

interface SystemOptionsRow {
  request_login_button: boolean;
  self_registration: boolean;
  updated_at: SqlTimestamp | null;
}

/** The singleton row the model migration inserts; `for update` serialises concurrent changes. */
async function readSystemOptions(em: EntityManager, forUpdate = false): Promise<SystemOptions> {
  const [row] = await em.execute<SystemOptionsRow[]>(
    `select request_login_button, self_registration, updated_at from system_options${forUpdate ? ' for update' : ''}`,
  );
  if (!row) throw new Error('system_options has no row: the directory model migration did not run.');
  return {
    requestLoginButton: row.request_login_button,
    selfRegistration: row.self_registration,
    updatedAt: isoOrNull(row.updated_at),
  };
}

export function systemOptionsActions(store: DirectoryStore): Record<string, moleculer.ActionSchema> {
  return {
    getSystemOptions: contractAction('directory.getSystemOptions', () => readSystemOptions(store.read())),

    updateSystemOptions: contractAction('directory.updateSystemOptions', (patch, ctx) =>
      store.change(async (tx) => {
        const before = await readSystemOptions(tx, true);
        const next = { ...before, ...definedFields(patch) };
        const changes = changesBetween(before, next, ['requestLoginButton', 'selfRegistration']);
        if (Object.keys(changes).length === 0) return before;
        await tx.execute(
          'update system_options set request_login_button = ?, self_registration = ?, updated_at = now()',
          [next.requestLoginButton, next.selfRegistration],
        );
        await recordChange(
          tx,
          callerOf(ctx),
          { entity: 'system-options', entityId: 'system-options', action: 'updated', accountId: null, changes },
          {
            type: 'directory.system-options.changed',
            data: { requestLoginButton: next.requestLoginButton, selfRegistration: next.selfRegistration },
          },
        );
        return readSystemOptions(tx);
      }),
    ),
  };
}
