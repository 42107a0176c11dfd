import type moleculer from 'moleculer';
import type { AccountClass } from '@portal/contracts';
import { callerOf, contractAction } from '@portal/kit';
import { changesBetween } from '../audit/audit-trail.ts';
import { recordChange } from '../audit/record-change.ts';
import { definedFields } from '../domain/patch.ts';
import type { DirectoryStore } from '../persistence/directory-store.ts';
import {
  accountClassAuditFields,
  deleteAccountClassRow,
  findAccountClass,
  insertAccountClass,
  listAccountClassPage,
  updateAccountClassRow,
} from './account-classes.repository.ts';
import { directoryError } from '../errors.ts';

const accountClassNotFound = () => directoryError('ACCOUNT_CLASS_NOT_FOUND');

export function accountClassActions(store: DirectoryStore): Record<string, moleculer.ActionSchema> {
  return {
    listAccountClasses: contractAction('directory.listAccountClasses', (args) =>
      listAccountClassPage(store.read(), args),
    ),

    getAccountClass: contractAction('directory.getAccountClass', async ({ accountClassId }) => {
      const found = await findAccountClass(store.read(), accountClassId);
      if (!found) throw accountClassNotFound();
      return found;
    }),

    createAccountClass: contractAction('directory.createAccountClass', (args, ctx) =>
      store.change(async (tx) => {
        const created = await insertAccountClass(tx, args);
        await recordChange(
          tx,
          callerOf(ctx),
          {
            entity: 'account-class',
            entityId: created.id,
            action: 'created',
            accountId: null,
            changes: changesBetween(null, created, accountClassAuditFields),
          },
          { type: 'directory.account-class.created', data: { accountClassId: created.id } },
        );
        return created;
      }),
    ),

    updateAccountClass: contractAction('directory.updateAccountClass', ({ accountClassId, ...patch }, ctx) =>
      store.change(async (tx) => {
        const before = await findAccountClass(tx, accountClassId, { forUpdate: true });
        if (!before) throw accountClassNotFound();
        const next: AccountClass = { ...before, ...definedFields(patch) };
        const changes = changesBetween(before, next, accountClassAuditFields);
        if (Object.keys(changes).length === 0) return before;
        const updated = await updateAccountClassRow(tx, next);
        await recordChange(
          tx,
          callerOf(ctx),
          { entity: 'account-class', entityId: accountClassId, action: 'updated', accountId: null, changes },
          { type: 'directory.account-class.updated', data: { accountClassId, changed: Object.keys(changes) } },
        );
        return updated;
      }),
    ),

    deleteAccountClass: contractAction('directory.deleteAccountClass', ({ accountClassId }, ctx) =>
      store.change(async (tx) => {
        const before = await findAccountClass(tx, accountClassId, { forUpdate: true });
        if (!before) throw accountClassNotFound();
        // An account still using the class makes the delete fail on its foreign key: 409 ACCOUNT_CLASS_IN_USE.
        await deleteAccountClassRow(tx, accountClassId);
        await recordChange(
          tx,
          callerOf(ctx),
          {
            entity: 'account-class',
            entityId: accountClassId,
            action: 'deleted',
            accountId: null,
            changes: changesBetween(before, {} as AccountClass, accountClassAuditFields),
          },
          { type: 'directory.account-class.deleted', data: { accountClassId } },
        );
        return { deleted: true as const };
      }),
    ),
  };
}
