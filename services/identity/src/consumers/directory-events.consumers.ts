import { z } from 'zod';
import type moleculer from 'moleculer';
import { call, DomainError, defineConsumer, type ConsumerDefinition, type EventOrigin } from '@portal/kit';
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

/** Every page of a directory list, by its keyset cursor. */
async function allPages<T>(
  page: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const answer = await page(cursor);
    items.push(...answer.items);
    cursor = answer.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

async function accountsOfClass(broker: moleculer.ServiceBroker, classId: string): Promise<string[]> {
  const accounts = await allPages((cursor) =>
    call(broker, 'directory.listAccounts', { classId, limit: 100, ...(cursor ? { cursor } : {}) }),
  );
  return accounts.map((account) => account.id);
}

/** The contacts of an account whose login exists in Keycloak (access invited or enabled). */
async function contactsWithLogin(broker: moleculer.ServiceBroker, accountId: string): Promise<string[]> {
  const ids: string[] = [];
  for (const accessStatus of ['enabled', 'invited'] as const) {
    const contacts = await allPages((cursor) =>
      call(broker, 'directory.listContacts', { accountId, accessStatus, limit: 100, ...(cursor ? { cursor } : {}) }),
    );
    ids.push(...contacts.map((contact) => contact.id));
  }
  return ids;
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
      // A class that starts (or stops) requiring MFA, or an account moved to another class, changes
      // the effective requirement of every contact with a login there: their logins follow.
      durableName: 'identity-on-mfa-policy-changed',
      events: ['directory.account-class.updated', 'directory.account.updated'],
      async handle(event) {
        const accountIds =
          event.type === 'directory.account-class.updated'
            ? event.data.changed.includes('requireMfa')
              ? await accountsOfClass(broker, event.data.accountClassId)
              : []
            : event.data.changed.includes('classId')
              ? [event.data.accountId]
              : [];
        for (const accountId of accountIds) {
          for (const contactId of await contactsWithLogin(broker, accountId)) {
            await operations.followContact(broker, contactId).catch((error: unknown) => {
              if (!settled(error)) throw error;
            });
          }
        }
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
