import type moleculer from 'moleculer';
import { contractAction } from '@portal/kit';
import { requireAccount } from '../directory/directory-owners.ts';
import type { SubmittalsStore } from '../persistence/submittals-store.ts';
import { dropReturnCodes, effectiveReturnCodes, saveReturnCodes } from './return-codes.repository.ts';

/** Return-code lists per account, over the installation default. */
export function returnCodeActions(store: SubmittalsStore): Record<string, moleculer.ActionSchema> {
  return {
    getReturnCodes: contractAction('submittals.getReturnCodes', async ({ accountId }, ctx) => {
      await requireAccount(ctx, accountId);
      return effectiveReturnCodes(store.read(), accountId);
    }),

    replaceReturnCodes: contractAction('submittals.replaceReturnCodes', async ({ accountId, codes }, ctx) => {
      await requireAccount(ctx, accountId);
      await store.change((tx) => saveReturnCodes(tx, accountId, codes));
      return effectiveReturnCodes(store.read(), accountId);
    }),

    resetReturnCodes: contractAction('submittals.resetReturnCodes', async ({ accountId }, ctx) => {
      await requireAccount(ctx, accountId);
      await store.change((tx) => dropReturnCodes(tx, accountId));
      return effectiveReturnCodes(store.read(), accountId);
    }),
  };
}
