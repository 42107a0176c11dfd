import { z } from 'zod';
import { defineEvent } from '../contract.ts';

const contactFacts = { contactId: z.uuid(), accountId: z.uuid() };
const timestamp = z.iso.datetime({ offset: true });

/**
 * What the identity service did to a login. Thin: ids and the changed facts, never a password or
 * a link. The directory writes each into the audit trail, so a contact's access history is one list.
 */
export const identityEvents = {
  'identity.access.enabled': defineEvent({
    version: 1,
    description: 'A contact got portal access with a generated password.',
    data: z.object({ ...contactFacts, identityUserId: z.string(), temporaryPassword: z.boolean() }),
  }),
  'identity.invitation.sent': defineEvent({
    version: 1,
    description: 'An invitation e-mail went out (first send or resend).',
    data: z.object({ ...contactFacts, identityUserId: z.string(), expiresAt: timestamp, resend: z.boolean() }),
  }),
  'identity.invitation.cancelled': defineEvent({
    version: 1,
    description: 'Staff cancelled a pending invitation.',
    data: z.object(contactFacts),
  }),
  'identity.invitation.expired': defineEvent({
    version: 1,
    description: 'An invitation expired unused; the contact is back to no access.',
    data: z.object(contactFacts),
  }),
  'identity.password.reset': defineEvent({
    version: 1,
    description: "A contact's password was reset (generated, set by staff, or by an e-mailed link).",
    data: z.object({ ...contactFacts, delivery: z.enum(['generated', 'set', 'email']), temporary: z.boolean() }),
  }),
  'identity.mfa.reset': defineEvent({
    version: 1,
    description: "A contact's TOTP credentials were removed; the next login sets MFA up again.",
    data: z.object({ ...contactFacts, credentialsRemoved: z.int().nonnegative() }),
  }),
  'identity.access.revoked': defineEvent({
    version: 1,
    description: "A contact's portal access was revoked: login disabled, sessions ended, tokens refused.",
    data: z.object({ ...contactFacts, identityUserId: z.string(), revokedAt: timestamp }),
  }),
  'identity.access.reenabled': defineEvent({
    version: 1,
    description: "A contact's revoked portal access was restored.",
    data: z.object({ ...contactFacts, identityUserId: z.string() }),
  }),
  'identity.access-request.received': defineEvent({
    version: 1,
    description: 'Someone asked for portal access on the login page; staff should look at the queue.',
    data: z.object({ requestId: z.uuid(), company: z.string() }),
  }),
  'identity.access-request.decided': defineEvent({
    version: 1,
    description: 'Staff approved or rejected an access request.',
    data: z.object({
      requestId: z.uuid(),
      decision: z.enum(['approved', 'rejected']),
      contactId: z.uuid().nullable(),
      accountId: z.uuid().nullable(),
      requester: z
        .object({ name: z.string(), email: z.string(), company: z.string() })
        .optional()
        .describe(
          'Rejections only: whom the polite e-mail goes to (the notifications service sends it). Never the staff reason.',
        ),
    }),
  }),
  'identity.self-registration.accepted': defineEvent({
    version: 1,
    description: 'An invoice-verified self-registration matched: the contact was invited.',
    data: z.object(contactFacts),
  }),
} as const;
