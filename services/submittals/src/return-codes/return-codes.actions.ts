import type { EntityManager } from '@mikro-orm/postgresql';
import type moleculer from 'moleculer';
import type { ReturnCode, ReturnCodeList } from '@portal/contracts';
import { callerOf, contractAction, recordEvent } from '@portal/kit';
import { requireAccount } from '../directory/directory-owners.ts';
import { originOf } from '../persistence/event-origin.ts';
import type { SubmittalsStore } from '../persistence/submittals-store.ts';
import {
  dropReturnCodes,
  effectiveReturnCodes,
  lockedReturnCodes,
  saveReturnCodes,
} from './return-codes.repository.ts';

interface ReturnCodesInForce {
  isDefault: boolean;
  codes: readonly ReturnCode[];
}

const sameCodes = (a: ReturnCodesInForce, b: ReturnCodesInForce) =>
  a.isDefault === b.isDefault && JSON.stringify(a.codes) === JSON.stringify(b.codes);

/**
 * Which codes a contact may answer with is the account's business rule, so a change is audited:
 * `submittals.return-codes.changed` in the change's transaction, with the lists before and after.
 * Saving what is already in force changes nothing and records nothing.
 */
async function recordReturnCodesChange(
  tx: EntityManager,
  ctx: moleculer.Context,
  change: 'replaced' | 'reset',
  before: ReturnCodeList,
  after: ReturnCodesInForce,
): Promise<void> {
  if (sameCodes(before, after)) return;
  await recordEvent(
    tx,
    'submittals.return-codes.changed',
    {
      accountId: before.accountId,
      change,
      before: { isDefault: before.isDefault, codes: before.codes },
      after: { isDefault: after.isDefault, codes: [...after.codes] },
    },
    originOf(callerOf(ctx), before.accountId),
  );
}

/** Return-code lists per account, over the installation default. */
export function returnCodeActions(store: SubmittalsStore): Record<string, moleculer.ActionSchema> {
  return {
    getReturnCodes: contractAction('submittals.getReturnCodes', async ({ accountId }, ctx) => {
      await requireAccount(ctx, accountId);
      return effectiveReturnCodes(store.read(), accountId);
    }),

    replaceReturnCodes: contractAction('submittals.replaceReturnCodes', async ({ accountId, codes }, ctx) => {
      await requireAccount(ctx, accountId);
      await store.change(async (tx) => {
        const before = await lockedReturnCodes(tx, accountId);
        await saveReturnCodes(tx, accountId, codes);
        await recordReturnCodesChange(tx, ctx, 'replaced', before, { isDefault: false, codes });
      });
      return effectiveReturnCodes(store.read(), accountId);
    }),

    resetReturnCodes: contractAction('submittals.resetReturnCodes', async ({ accountId }, ctx) => {
      await requireAccount(ctx, accountId);
      await store.change(async (tx) => {
        const before = await lockedReturnCodes(tx, accountId);
        await dropReturnCodes(tx, accountId);
        await recordReturnCodesChange(tx, ctx, 'reset', before, await effectiveReturnCodes(tx, accountId));
      });
      return effectiveReturnCodes(store.read(), accountId);
    }),
  };
}
