import type moleculer from 'moleculer';
import { call, callerOf, commonError, contractAction, type ServiceOrm } from '@portal/kit';
import { invitationPage } from '../invitations/invitation.repository.ts';
import type { AccessOperations } from './access-operations.ts';
import { contactLocks } from './contact-lock.ts';
import { eventOriginOf } from '../self-service/event-origin.ts';
import type { PortalUsers } from '../adapters/portal-users.adapter.ts';

/** Staff's access operations and the portal's `/portal/me`: thin handlers over `accessOperations`. */
export function accessActions(deps: {
  operations: AccessOperations;
  orm: ServiceOrm;
  users: PortalUsers;
  mfaConfigured: { get(userId: string): Promise<boolean> };
}): Record<string, moleculer.ActionSchema> {
  const { operations: ops } = deps;
  const originOf = (ctx: moleculer.Context) => eventOriginOf(callerOf(ctx));
  const exclusively = contactLocks(deps.orm);
  return {
    enableAccess: contractAction('identity.enableAccess', (args, ctx) =>
      exclusively(args.contactId, () => ops.enableAccess(ctx, originOf(ctx), args)),
    ),
    inviteContact: contractAction('identity.inviteContact', (args, ctx) =>
      exclusively(args.contactId, () => ops.inviteContact(ctx, originOf(ctx), args)),
    ),
    resendInvitation: contractAction('identity.resendInvitation', (args, ctx) =>
      exclusively(args.contactId, () => ops.resendInvitation(ctx, originOf(ctx), args)),
    ),
    cancelInvitation: contractAction('identity.cancelInvitation', (args, ctx) =>
      exclusively(args.contactId, () => ops.cancelInvitation(ctx, originOf(ctx), args)),
    ),
    listInvitations: contractAction('identity.listInvitations', (args) => invitationPage(deps.orm.em.fork(), args)),
    resetPassword: contractAction('identity.resetPassword', (args, ctx) =>
      exclusively(args.contactId, () => ops.resetPassword(ctx, originOf(ctx), args)),
    ),
    setPassword: contractAction('identity.setPassword', (args, ctx) =>
      exclusively(args.contactId, () => ops.setPassword(ctx, originOf(ctx), args)),
    ),
    resetMfa: contractAction('identity.resetMfa', (args, ctx) =>
      exclusively(args.contactId, () => ops.resetMfa(ctx, originOf(ctx), args)),
    ),
    revokeAccess: contractAction('identity.revokeAccess', (args, ctx) =>
      exclusively(args.contactId, () => ops.revokeAccess(ctx, originOf(ctx), args)),
    ),
    reenableAccess: contractAction('identity.reenableAccess', (args, ctx) =>
      exclusively(args.contactId, () => ops.reenableAccess(ctx, originOf(ctx), args)),
    ),
    getPortalProfile: contractAction('identity.getPortalProfile', async (_args, ctx) => {
      const { actor } = callerOf(ctx);
      // The principal comes from the verified token only (the gateway puts it in meta); nothing from the request.
      if (actor.kind !== 'contact') throw commonError('NOT_FOUND');
      const facts = await call(ctx, 'directory.getPortalProfileFacts', { contactId: actor.contactId });
      return {
        contact: facts.contact,
        accounts: facts.accounts,
        scope: facts.scope,
        mfa: { required: facts.mfaRequired, configured: await deps.mfaConfigured.get(actor.userId) },
      };
    }),
  };
}
