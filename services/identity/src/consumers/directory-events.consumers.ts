import { z } from 'zod';
import type moleculer from 'moleculer';
import { DomainError, defineConsumer, type ConsumerDefinition, type EventOrigin } from '@portal/kit';
import type { AccessOperations } from '../access/access-operations.ts';

/** Hours an automatic invitation's link works (the staff default of `inviteContact`). */
const autoInviteLifespanHours = 72;

function originOf(
  component: string,
  event: { traceId: string; requestId?: string; sourceAddress?: string },
): EventOrigin {
  return {
    actor: { kind: 'system', component },
    traceId: event.traceId,
    requestId: event.requestId ?? null,
    sourceAddress: event.sourceAddress ?? null,
  };
}

/** A refusal that retrying cannot change (the contact moved on meanwhile): the event is done. */
function settled(error: unknown): boolean {
  return (
    error instanceof DomainError &&
    ['ACCESS_NOT_ALLOWED', 'ACCESS_EMAIL_REQUIRED', 'CONTACT_NOT_FOUND', 'ARCHIVED', 'INVITATION_NOT_PENDING'].includes(
      String(error.type),
    )
  );
}

/** Keycloak follows the directory: auto-invites, e-mail changes, MFA requirement, archived contacts. */
export function directoryEventConsumers(deps: {
  broker: moleculer.ServiceBroker;
  /** Resolved when an event arrives: the operations need the store these consumers are declared with. */
  operations: () => AccessOperations;
}): ConsumerDefinition[] {
  const { broker } = deps;
  const operations = new Proxy({} as AccessOperations, {
    get: (_target, key) => deps.operations()[key as keyof AccessOperations],
  });
  return [
    defineConsumer({
      durableName: 'identity-on-contact-created',
      events: ['directory.contact.created'],
      async handle(event) {
        const { contactId, email, autoSendInvite } = event.data;
        if (!autoSendInvite || email === null || !z.email().safeParse(email).success) return;
        await operations
          .inviteContact(broker, originOf('identity.auto-invite', event), {
            contactId,
            lifespanHours: autoInviteLifespanHours,
          })
          .catch((error: unknown) => {
            if (!settled(error)) throw error;
          });
      },
    }),
    defineConsumer({
      durableName: 'identity-on-contact-changed',
      events: ['directory.contact.updated', 'directory.access.changed'],
      async handle(event) {
        if (event.type === 'directory.contact.updated' && !event.data.changed.includes('email')) return;
        await operations.followContact(broker, event.data.contactId).catch((error: unknown) => {
          if (!settled(error)) throw error;
        });
      },
    }),
    defineConsumer({
      durableName: 'identity-on-contact-archived',
      events: ['directory.contact.archived'],
      async handle(event, em) {
        await operations.cutOffArchived(
          originOf('identity.contact-archived', event),
          event.data.contactId,
          event.data.accountId,
          em,
        );
      },
    }),
  ];
}
