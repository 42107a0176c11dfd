import type moleculer from 'moleculer';
import type { DirectoryErrorCode } from '@portal/contracts';
import { call, defineConsumer, DomainError, type ConsumerDefinition } from '@portal/kit';
import type { BellSignals } from './bell-signals.ts';
import {
  accessRequestReceivedNotice,
  contactSeesOwner,
  documentRequestCreatedNotice,
  documentRequestFulfilledNotice,
  staffBellRoles,
  submittalOverdueNotice,
  submittalReceivedNotice,
  submittalReturnedNotice,
  submittalSentNotice,
  type Notice,
  type VisibleScope,
} from './bell.rules.ts';
import { insertNotifications } from './notifications.repository.ts';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Events applied at once by the consumers that fan out to contacts (submittals sent, documents
 * requested: the volume). Order between notifications of different events does not matter: each is
 * its own notice, and sequences still commit in the order drawn (see `insertNotifications`). The
 * staff-only consumers see a few events a day and keep one at a time.
 */
export const bellConcurrency = 8;

export interface BellConsumerDeps {
  broker: moleculer.ServiceBroker;
  signals: BellSignals;
}

/** A contact's visible scope, or null when the directory no longer knows it (nobody to tell). */
async function scopeOf(broker: moleculer.ServiceBroker, contactId: string): Promise<VisibleScope | null> {
  try {
    return await call(broker, 'directory.resolveVisibleScope', { contactId });
  } catch (error) {
    if (error instanceof DomainError && error.type === ('CONTACT_NOT_FOUND' satisfies DirectoryErrorCode)) return null;
    throw error;
  }
}

/** The contacts who see the project (the directory's one visibility rule, access enabled). */
async function contactsSeeingProject(broker: moleculer.ServiceBroker, projectId: string): Promise<string[]> {
  const { contactIds } = await call(broker, 'directory.listContactsSeeingProject', { projectId });
  return contactIds;
}

async function staffRecipientIds(broker: moleculer.ServiceBroker): Promise<string[]> {
  const staff = await call(broker, 'identity.listStaffRecipients', { roles: [...staffBellRoles] });
  return staff.map((user) => user.userId);
}

/**
 * Writes one notice for each recipient (last in the transaction: see `insertNotifications`) and
 * signals the gateways once the event's transaction has committed.
 */
async function ring(
  em: EntityManager,
  deps: BellConsumerDeps,
  afterCommit: (work: () => void) => void,
  sourceEventId: string,
  recipients: readonly { kind: 'staff' | 'contact'; id: string }[],
  notice: Notice,
): Promise<void> {
  const written = await insertNotifications(
    em,
    recipients.map((recipient) => ({ ...notice, recipient, sourceEventId })),
  );
  if (written.length > 0) afterCommit(() => deps.signals.created(written));
}

/**
 * The bell's durable consumers, one per event (each its own durable name and lag). Idempotent: a
 * redelivered event finds its notifications by (source event, recipient) and writes none again.
 * Peers (directory, identity) are asked before anything is written; while one is down the
 * delivery fails and is retried with the kit's backoff, then dead-lettered visibly.
 */
export function bellConsumers(deps: BellConsumerDeps): ConsumerDefinition[] {
  return [
    defineConsumer({
      durableName: 'notifications-bell-on-request-created',
      events: ['documents.request.created'],
      concurrency: bellConcurrency,
      async handle(event, em, _signal, afterCommit) {
        const contactIds = [...new Set(event.data.requestedFromContactIds)];
        const scopes = await Promise.all(contactIds.map((contactId) => scopeOf(deps.broker, contactId)));
        const seeing = contactIds.filter((_, index) => contactSeesOwner(scopes[index] ?? null, event.data.owner));
        await ring(
          em,
          deps,
          afterCommit,
          event.id,
          seeing.map((id) => ({ kind: 'contact', id })),
          documentRequestCreatedNotice(event.data),
        );
      },
    }),
    defineConsumer({
      durableName: 'notifications-bell-on-request-fulfilled',
      events: ['documents.request.fulfilled'],
      async handle(event, em, _signal, afterCommit) {
        const staff = await staffRecipientIds(deps.broker);
        await ring(
          em,
          deps,
          afterCommit,
          event.id,
          staff.map((id) => ({ kind: 'staff', id })),
          documentRequestFulfilledNotice(event.data),
        );
      },
    }),
    defineConsumer({
      durableName: 'notifications-bell-on-access-request-received',
      events: ['identity.access-request.received'],
      async handle(event, em, _signal, afterCommit) {
        const staff = await staffRecipientIds(deps.broker);
        await ring(
          em,
          deps,
          afterCommit,
          event.id,
          staff.map((id) => ({ kind: 'staff', id })),
          accessRequestReceivedNotice(event.data),
        );
      },
    }),
    ...submittalBellConsumers(deps),
  ];
}

/** Submittals: sent rings the customer's contacts; returned, received and overdue ring staff. */
function submittalBellConsumers(deps: BellConsumerDeps): ConsumerDefinition[] {
  const toStaff = async () => (await staffRecipientIds(deps.broker)).map((id) => ({ kind: 'staff' as const, id }));
  return [
    defineConsumer({
      durableName: 'notifications-bell-on-submittal-sent',
      events: ['submittals.submittal.sent'],
      concurrency: bellConcurrency,
      async handle(event, em, _signal, afterCommit) {
        // The bell rings whether or not `notifyByEmail` is on; e-mail is decided elsewhere.
        const contactIds = await contactsSeeingProject(deps.broker, event.data.projectId);
        await ring(
          em,
          deps,
          afterCommit,
          event.id,
          contactIds.map((id) => ({ kind: 'contact', id })),
          submittalSentNotice(event.data),
        );
      },
    }),
    defineConsumer({
      durableName: 'notifications-bell-on-submittal-returned',
      events: ['submittals.submittal.returned'],
      async handle(event, em, _signal, afterCommit) {
        await ring(em, deps, afterCommit, event.id, await toStaff(), submittalReturnedNotice(event.data));
      },
    }),
    defineConsumer({
      durableName: 'notifications-bell-on-submittal-received',
      events: ['submittals.submittal.received'],
      async handle(event, em, _signal, afterCommit) {
        await ring(em, deps, afterCommit, event.id, await toStaff(), submittalReceivedNotice(event.data));
      },
    }),
    defineConsumer({
      durableName: 'notifications-bell-on-submittal-overdue',
      events: ['submittals.submittal.overdue'],
      async handle(event, em, _signal, afterCommit) {
        await ring(em, deps, afterCommit, event.id, await toStaff(), submittalOverdueNotice(event.data));
      },
    }),
  ];
}
