import type moleculer from 'moleculer';
import type { Contact } from '@portal/contracts';
import { callerOf, contractAction } from '@portal/kit';
import { accountNotFound } from '../accounts/accounts.actions.ts';
import { findAccount } from '../accounts/accounts.repository.ts';
import { recordChange, recordScopeChange } from '../audit/record-change.ts';
import { contactAfterChange, liveContactForChange } from '../contacts/contacts.actions.ts';
import { canMoveAccess } from '../domain/access-lifecycle.rules.ts';
import { canonicalScope, sameScope } from '../domain/access-scope.rules.ts';
import type { DirectoryStore } from '../persistence/directory-store.ts';
import {
  idsOutsideReach,
  inviteExpired,
  portalTabPage,
  replaceScope,
  setStoredMfaRequired,
  storedMfaRequired,
  writeAccessMove,
} from './portal-access.repository.ts';
import { directoryError } from '../errors.ts';
import { announcePortalPrincipalChange } from '../portal/portal-principals.broadcast.ts';

export function portalAccessActions(store: DirectoryStore): Record<string, moleculer.ActionSchema> {
  return {
    listPortalAccess: contractAction('directory.listPortalAccess', async (args) => {
      const em = store.read();
      if (!(await findAccount(em, args.accountId))) throw accountNotFound();
      return portalTabPage(em, args);
    }),

    setAccessScope: contractAction('directory.setAccessScope', async ({ contactId, scope }, ctx) => {
      const contact = await store.change(async (tx) => {
        const before = await liveContactForChange(tx, contactId);
        const next = canonicalScope(scope);
        if (sameScope(before.access.scope, next)) return before;
        if (next.kind === 'selected') {
          const outside = await idsOutsideReach(tx, before, next);
          if (outside.siteIds.length > 0 || outside.projectIds.length > 0) {
            throw directoryError('SCOPE_OUTSIDE_ACCOUNT', {
              message: 'The scope may only select live sites and projects the contact can reach.',
              details: [
                ...outside.siteIds.map((id) => ({ path: 'scope.siteIds', message: `not selectable: ${id}` })),
                ...outside.projectIds.map((id) => ({ path: 'scope.projectIds', message: `not selectable: ${id}` })),
              ],
            });
          }
        }
        await replaceScope(tx, contactId, next);
        await recordScopeChange(tx, callerOf(ctx), {
          contactId,
          accountId: before.accountId,
          changes: { scope: { from: canonicalScope(before.access.scope), to: next } },
          scope: next,
        });
        return contactAfterChange(tx, contactId);
      });
      announcePortalPrincipalChange(ctx, { contactIds: [contactId] });
      return contact;
    }),

    requireMfa: contractAction('directory.requireMfa', ({ contactId }, ctx) =>
      setContactMfaRequired(store, ctx, contactId, true),
    ),

    clearMfaRequirement: contractAction('directory.clearMfaRequirement', ({ contactId }, ctx) =>
      setContactMfaRequired(store, ctx, contactId, false),
    ),

    applyAccessTransition: contractAction(
      'directory.applyAccessTransition',
      async ({ contactId, to, identityUserId, inviteExpiresAt }, ctx) => {
        let previousLogin: string | null = null;
        const contact = await store.change(async (tx) => {
          const before = await liveContactForChange(tx, contactId);
          previousLogin = before.access.identityUserId;
          const from = before.access.status;
          if (!canMoveAccess(from, to)) {
            throw directoryError('ACCESS_TRANSITION_NOT_ALLOWED', {
              message: `Portal access cannot move from ${from} to ${to}.`,
              details: { from, to },
            });
          }
          if (to !== 'none' && before.email === null) {
            throw directoryError('CONTACT_EMAIL_REQUIRED', {
              message: 'A contact without an e-mail cannot get portal access.',
            });
          }
          if (from === 'invited' && to === 'enabled' && (await inviteExpired(tx, contactId))) {
            throw directoryError('INVITE_EXPIRED', {
              message: `The invitation expired at ${before.access.inviteExpiresAt}; send a new one.`,
              details: { inviteExpiresAt: before.access.inviteExpiresAt },
            });
          }
          // The unique login index turns a second holder of this e-mail into 409 PORTAL_LOGIN_TAKEN,
          // the unique identity index a second contact linked to the same user into 409 IDENTITY_USER_TAKEN.
          await writeAccessMove(tx, contactId, { to, identityUserId, inviteExpiresAt });
          const after = await contactAfterChange(tx, contactId);
          const changes: Record<string, { from: unknown; to: unknown }> = { status: { from, to } };
          if (after.access.identityUserId !== before.access.identityUserId) {
            changes.identityUserId = { from: before.access.identityUserId, to: after.access.identityUserId };
          }
          if (after.access.inviteExpiresAt !== before.access.inviteExpiresAt) {
            changes.inviteExpiresAt = { from: before.access.inviteExpiresAt, to: after.access.inviteExpiresAt };
          }
          await recordChange(
            tx,
            callerOf(ctx),
            {
              entity: 'access',
              entityId: contactId,
              action: from === to ? `access-${to}-again` : `access-${to}`,
              accountId: before.accountId,
              contactId,
              changes,
            },
            {
              type: 'directory.access.changed',
              data: { contactId, accountId: before.accountId, from, to, mfaRequired: after.access.mfaRequired },
            },
          );
          return after;
        });
        // The login that lost its contact and the one that gained it, whatever the gateways hold.
        const logins = [previousLogin, contact.access.identityUserId].filter((id): id is string => id !== null);
        announcePortalPrincipalChange(ctx, { contactIds: [contactId], identityUserIds: logins });
        return contact;
      },
    ),
  };
}

/** The contact's own MFA flag; requiring it and clearing it are separate actions (different permissions), one change. */
function setContactMfaRequired(
  store: DirectoryStore,
  ctx: moleculer.Context,
  contactId: string,
  mfaRequired: boolean,
): Promise<Contact> {
  return store.change(async (tx) => {
    const before = await liveContactForChange(tx, contactId);
    const stored = await storedMfaRequired(tx, contactId);
    if (stored === mfaRequired) return before;
    await setStoredMfaRequired(tx, contactId, mfaRequired);
    const after = await contactAfterChange(tx, contactId);
    await recordChange(
      tx,
      callerOf(ctx),
      {
        entity: 'access',
        entityId: contactId,
        action: 'mfa-required-changed',
        accountId: before.accountId,
        contactId,
        changes: { mfaRequired: { from: stored, to: mfaRequired } },
      },
      {
        type: 'directory.access.changed',
        data: {
          contactId,
          accountId: before.accountId,
          from: before.access.status,
          to: after.access.status,
          mfaRequired: after.access.mfaRequired,
        },
      },
    );
    return after;
  });
}
