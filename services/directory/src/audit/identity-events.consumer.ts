import type { EventEnvelope } from '@portal/contracts';
import { defineConsumer, type CallerMeta, type ConsumerDefinition } from '@portal/kit';
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

/** Who, from where and in which request: the envelope's, so the entry names the person, not the consumer. */
export function callerOfEvent(
  event: Pick<EventEnvelope<unknown>, 'actor' | 'requestId' | 'sourceAddress'>,
): CallerMeta {
  return { actor: event.actor, requestId: event.requestId ?? null, sourceIp: event.sourceAddress ?? null };
}

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
      await recordAudit(em, callerOfEvent(event), {
        entity: 'access',
        entityId: contactId,
        action: actionOf[event.type],
        accountId,
        contactId,
        changes: Object.fromEntries(Object.entries(facts).map(([key, value]) => [key, { from: null, to: value }])),
      });
    },
  });
}

/**
 * The login page's self-service into the audit trail. A staff decision on an access request is an
 * entry of the request (entity `access-request`, action `approved` / `rejected`): an approval names
 * the account and the contact, so it shows in both trails; a rejection has neither and keeps whom
 * it refused (name, e-mail, company; never the staff reason, which the event does not carry). An
 * accepted invoice-verified self-registration is an entry of the contact's access. Refused
 * self-registrations change nothing and are not audited (identity logs them). A durable of its
 * own, so on a first start it reads the events already in the stream instead of skipping them.
 */
export function identitySelfServiceAuditConsumer(): ConsumerDefinition {
  return defineConsumer({
    durableName: 'directory-on-identity-self-service-events',
    events: ['identity.access-request.decided', 'identity.self-registration.accepted'],
    async handle(event, em) {
      if (event.type === 'identity.self-registration.accepted') {
        const { contactId, accountId } = event.data;
        await recordAudit(em, callerOfEvent(event), {
          entity: 'access',
          entityId: contactId,
          action: 'self-registration-accepted',
          accountId,
          contactId,
          changes: {},
        });
        return;
      }
      const { requestId, decision, contactId, accountId, requester } = event.data;
      await recordAudit(em, callerOfEvent(event), {
        entity: 'access-request',
        entityId: requestId,
        action: decision,
        accountId,
        contactId,
        // Only a pending request can be decided (identity answers 409 ACCESS_REQUEST_DECIDED otherwise).
        changes: {
          status: { from: 'pending', to: decision },
          ...(requester ? { requester: { from: null, to: requester } } : {}),
        },
      });
    },
  });
}
