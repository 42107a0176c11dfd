import { defineConsumer, type ConsumerDefinition } from '@portal/kit';
import { recordAudit } from './audit-trail.ts';

/** The identity service's access operations, as the audit trail names them. */
const actionOf = {
  'identity.access.enabled': 'login-enabled',
  'identity.invitation.sent': 'invitation-sent',
  'identity.invitation.cancelled': 'invitation-cancelled',
  'identity.invitation.expired': 'invitation-expired',
  'identity.password.reset': 'password-reset',
  'identity.mfa.reset': 'mfa-reset',
  'identity.access.revoked': 'login-revoked',
  'identity.access.reenabled': 'login-reenabled',
} as const;

/**
 * Identity's operations on a contact's login (passwords, MFA, invitations, revocation) into the
 * directory's audit trail, so a contact's access history is one list: who (the envelope's actor),
 * when, from where and in which request, with the event's facts as the change. Applied once per
 * event (the kit's inbox), in the same transaction as the inbox row.
 */
export function identityEventsAuditConsumer(): ConsumerDefinition {
  return defineConsumer({
    durableName: 'directory-on-identity-access-events',
    events: [
      'identity.access.enabled',
      'identity.invitation.sent',
      'identity.invitation.cancelled',
      'identity.invitation.expired',
      'identity.password.reset',
      'identity.mfa.reset',
      'identity.access.revoked',
      'identity.access.reenabled',
    ],
    async handle(event, em) {
      const { contactId, accountId, ...facts } = event.data;
      await recordAudit(
        em,
        { actor: event.actor, requestId: event.requestId ?? null, sourceIp: event.sourceAddress ?? null },
        {
          entity: 'access',
          entityId: contactId,
          action: actionOf[event.type],
          accountId,
          contactId,
          changes: Object.fromEntries(Object.entries(facts).map(([key, value]) => [key, { from: null, to: value }])),
        },
      );
    },
  });
}
