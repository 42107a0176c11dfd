import type { EntityManager } from '@mikro-orm/postgresql';
import type moleculer from 'moleculer';
import type { Account } from '@portal/contracts';
import { callerOf, contractAction } from '@portal/kit';
import { findAccountClass } from '../account-classes/account-classes.repository.ts';
import { changesBetween } from '../audit/audit-trail.ts';
import { recordChange } from '../audit/record-change.ts';
import { definedFields } from '../domain/patch.ts';
import type { DirectoryStore } from '../persistence/directory-store.ts';
import {
  accountAuditFields,
  archiveAccountRow,
  findAccount,
  insertAccount,
  listAccountPage,
  updateAccountRow,
} from './accounts.repository.ts';
import { directoryError } from '../errors.ts';
import { announcePortalPrincipalChange } from '../portal/portal-principals.broadcast.ts';

export const accountNotFound = () => directoryError('ACCOUNT_NOT_FOUND');
export const archivedError = (what: string) => directoryError('ARCHIVED', { message: `The ${what} is archived.` });

/** The account, locked for the change; 404 when unknown, 422 when archived. */
export async function liveAccountForChange(tx: EntityManager, accountId: string): Promise<Account> {
  const account = await findAccount(tx, accountId, { forUpdate: true });
  if (!account) throw accountNotFound();
  if (account.archivedAt) throw archivedError('account');
  return account;
}

/** The class must exist; a customer account may join a live consolidated account, nothing else may. */
async function checkAccountLinks(
  tx: EntityManager,
  account: Pick<Account, 'id' | 'kind' | 'classId' | 'consolidatedAccountId'>,
): Promise<void> {
  if (account.classId && !(await findAccountClass(tx, account.classId))) {
    throw directoryError('ACCOUNT_CLASS_NOT_FOUND');
  }
  if (!account.consolidatedAccountId) return;
  const invalid = (message: string) =>
    directoryError('CONSOLIDATED_ACCOUNT_INVALID', { message, details: [{ path: 'consolidatedAccountId', message }] });
  if (account.kind !== 'customer') throw invalid('Only a customer account can belong to a consolidated account.');
  const group = await findAccount(tx, account.consolidatedAccountId, { forUpdate: true });
  if (!group || group.id === account.id || group.kind !== 'consolidated') {
    throw invalid('consolidatedAccountId must name a consolidated account.');
  }
  if (group.archivedAt) throw invalid('The consolidated account is archived.');
}

export function accountActions(store: DirectoryStore): Record<string, moleculer.ActionSchema> {
  return {
    listAccounts: contractAction('directory.listAccounts', (args) => listAccountPage(store.read(), args)),

    getAccount: contractAction('directory.getAccount', async ({ accountId }) => {
      const account = await findAccount(store.read(), accountId);
      if (!account) throw accountNotFound();
      return account;
    }),

    createAccount: contractAction('directory.createAccount', (args, ctx) =>
      store.change(async (tx) => {
        const input = {
          number: args.number,
          name: args.name,
          kind: args.kind,
          classId: args.classId ?? null,
          consolidatedAccountId: args.consolidatedAccountId ?? null,
        };
        await checkAccountLinks(tx, { id: '', ...input });
        const created = await insertAccount(tx, input);
        await recordChange(
          tx,
          callerOf(ctx),
          {
            entity: 'account',
            entityId: created.id,
            action: 'created',
            accountId: created.id,
            changes: changesBetween(null, created, accountAuditFields),
          },
          {
            type: 'directory.account.created',
            data: { accountId: created.id, number: created.number, kind: created.kind },
          },
        );
        return created;
      }),
    ),

    updateAccount: contractAction('directory.updateAccount', ({ accountId, ...patch }, ctx) =>
      store.change(async (tx) => {
        const before = await liveAccountForChange(tx, accountId);
        const next: Account = { ...before, ...definedFields(patch) };
        const changes = changesBetween(before, next, accountAuditFields);
        if (Object.keys(changes).length === 0) return before;
        await checkAccountLinks(tx, next);
        const updated = await updateAccountRow(tx, next);
        await recordChange(
          tx,
          callerOf(ctx),
          { entity: 'account', entityId: accountId, action: 'updated', accountId, changes },
          { type: 'directory.account.updated', data: { accountId, changed: Object.keys(changes) } },
        );
        return updated;
      }),
    ),

    setAccountClass: contractAction('directory.setAccountClass', ({ accountId, classId }, ctx) =>
      store.change(async (tx) => {
        const before = await liveAccountForChange(tx, accountId);
        if (before.classId === classId) return before;
        const next: Account = { ...before, classId };
        await checkAccountLinks(tx, next);
        const updated = await updateAccountRow(tx, next);
        await recordChange(
          tx,
          callerOf(ctx),
          {
            entity: 'account',
            entityId: accountId,
            action: 'updated',
            accountId,
            changes: changesBetween(before, next, ['classId']),
          },
          { type: 'directory.account.updated', data: { accountId, changed: ['classId'] } },
        );
        return updated;
      }),
    ),

    archiveAccount: contractAction('directory.archiveAccount', async ({ accountId }, ctx) => {
      const account = await store.change(async (tx) => {
        const before = await findAccount(tx, accountId, { forUpdate: true });
        if (!before) throw accountNotFound();
        if (before.archivedAt) return before;
        const archived = await archiveAccountRow(tx, accountId);
        await recordChange(
          tx,
          callerOf(ctx),
          {
            entity: 'account',
            entityId: accountId,
            action: 'archived',
            accountId,
            changes: changesBetween(before, archived, ['archivedAt']),
          },
          { type: 'directory.account.archived', data: { accountId } },
        );
        return archived;
      });
      // Every contact of an archived account loses the portal (`portal_access_enabled`).
      announcePortalPrincipalChange(ctx, { accountIds: [accountId] });
      return account;
    }),
  };
}
