import type moleculer from 'moleculer';
import { call, callerOf, contractAction, recordEvent } from '@portal/kit';
import { contactNameFromFullName } from '../domain/contact-name.rules.ts';
import { identityError } from '../errors.ts';
import {
  insertAccessRequest,
  listAccessRequestPage,
  lockAccessRequest,
  recordAccessDecision,
} from './access-requests.repository.ts';
import { addressKey, chargeAttempts, type AttemptLimits } from './attempt-limits.ts';
import { eventOriginOf } from './event-origin.ts';
import type { SelfServiceStore } from './self-service-store.ts';

/** The one answer to the form, whether the request is new or repeats a pending one. */
export const accessRequestReceipt = {
  received: true,
  message: 'Thank you. Your request has reached our team; you will hear from us by e-mail.',
} as const;

/** The login page's "Request access" form and the staff queue behind it. */
export function accessRequestActions(
  store: SelfServiceStore,
  limits: AttemptLimits,
): Record<string, moleculer.ActionSchema> {
  return {
    requestAccess: contractAction('identity.requestAccess', async (input, ctx) => {
      // Asked each time rather than copied from events: a fresh identity schema has no copy, and
      // the directory's answer is the truth staff just set.
      const options = await call(ctx, 'directory.getSystemOptions', {});
      if (!options.requestLoginButton) throw identityError('ACCESS_REQUESTS_DISABLED');
      const caller = callerOf(ctx);
      await store.change(async (tx) => {
        await chargeAttempts(tx, [addressKey('access-request', caller.sourceIp, limits)], limits.windowSeconds);
        const created = await insertAccessRequest(tx, input, caller);
        if (created) {
          await recordEvent(
            tx,
            'identity.access-request.received',
            { requestId: created.id, company: created.company },
            eventOriginOf(caller),
          );
        }
      });
      return accessRequestReceipt;
    }),

    listAccessRequests: contractAction('identity.listAccessRequests', (args) =>
      listAccessRequestPage(store.read(), args),
    ),

    // The request stays locked while the contact is found or created and invited, so two staff
    // cannot both approve it; if any step fails, it is still pending.
    approveAccessRequest: contractAction('identity.approveAccessRequest', (args, ctx) =>
      store.change(async (tx) => {
        const request = await lockAccessRequest(tx, args.requestId);
        if (!request) throw identityError('ACCESS_REQUEST_NOT_FOUND');
        if (request.status !== 'pending') throw identityError('ACCESS_REQUEST_DECIDED');
        const contact = args.contactId
          ? await call(ctx, 'directory.getContact', { contactId: args.contactId })
          : await call(ctx, 'directory.createContact', {
              accountId: args.accountId,
              siteId: args.siteId ?? null,
              email: request.email,
              ...contactNameFromFullName(request.name),
            });
        if (contact.accountId !== args.accountId) throw identityError('ACCESS_REQUEST_CONTACT_MISMATCH');
        const invitation = await call(ctx, 'identity.inviteContact', { contactId: contact.id });
        const caller = callerOf(ctx);
        const decided = await recordAccessDecision(tx, request.id, {
          status: 'approved',
          decidedBy: caller.actor,
          accountId: contact.accountId,
          contactId: contact.id,
          reason: null,
        });
        await recordEvent(
          tx,
          'identity.access-request.decided',
          { requestId: request.id, decision: 'approved', contactId: contact.id, accountId: contact.accountId },
          eventOriginOf(caller, contact.accountId),
        );
        return { request: decided, invitation };
      }),
    ),

    rejectAccessRequest: contractAction('identity.rejectAccessRequest', (args, ctx) =>
      store.change(async (tx) => {
        const request = await lockAccessRequest(tx, args.requestId);
        if (!request) throw identityError('ACCESS_REQUEST_NOT_FOUND');
        if (request.status !== 'pending') throw identityError('ACCESS_REQUEST_DECIDED');
        const caller = callerOf(ctx);
        const decided = await recordAccessDecision(tx, request.id, {
          status: 'rejected',
          decidedBy: caller.actor,
          accountId: null,
          contactId: null,
          reason: args.reason ?? null,
        });
        // The polite e-mail (sent by notifications) needs whom to write to; the reason stays with staff.
        await recordEvent(
          tx,
          'identity.access-request.decided',
          {
            requestId: request.id,
            decision: 'rejected',
            contactId: null,
            accountId: null,
            requester: { name: request.name, email: request.email, company: request.company },
          },
          eventOriginOf(caller),
        );
        return decided;
      }),
    ),
  };
}
