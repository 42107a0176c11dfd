import type moleculer from 'moleculer';
import type { SubmittalPurpose } from '@portal/contracts';
import { defineConsumer, type ConsumerDefinition } from '@portal/kit';
import { deliverEmail, type EmailDeliveryDeps, type EmailMessage } from './email-delivery.ts';
import {
  projectContactRecipients,
  requestedContactRecipients,
  staffEmailRecipients,
  type EmailRecipient,
} from './email-recipients.ts';

export interface EmailConsumerDeps extends EmailDeliveryDeps {
  broker: moleculer.ServiceBroker;
}

type Message = Omit<EmailMessage, 'to'>;

/**
 * Events applied at once by the submittal and document-request consumers. E-mails of different
 * events carry no order a reader relies on; each event's own recipients are still mailed in turn.
 * Each slot holds its event's transaction and, briefly, a second connection for the `sent` row.
 */
export const emailConcurrency = 4;

/** Peers are asked first (a peer down fails the delivery, retried with backoff); each recipient's e-mail then in turn. */
async function deliverToEach(
  em: Parameters<typeof deliverEmail>[0],
  deps: EmailConsumerDeps,
  eventId: string,
  recipients: readonly EmailRecipient[],
  message: Message,
): Promise<void> {
  for (const to of recipients) await deliverEmail(em, deps, eventId, { ...message, to });
}

const purposeText: Record<SubmittalPurpose, string> = {
  'for-approval': 'approval',
  'for-review': 'review',
  'for-information': 'information',
  'as-requested': 'your request',
};

/**
 * The e-mail consumers, one per producing service (the kit: idempotent by the inbox, retried
 * 1 s … 60 s, dead-lettered after 5). Each event mails each recipient at most once: the e-mail
 * log's unique (event, template, address) row is checked before sending and written with the
 * inbox row.
 */
export function emailConsumers(deps: EmailConsumerDeps): ConsumerDefinition[] {
  const { broker } = deps;
  return [
    defineConsumer({
      durableName: 'notifications-email-on-submittals',
      concurrency: emailConcurrency,
      events: [
        'submittals.submittal.sent',
        'submittals.submittal.returned',
        'submittals.submittal.received',
        'submittals.submittal.overdue',
      ],
      async handle(event, em) {
        switch (event.type) {
          case 'submittals.submittal.sent': {
            const data = event.data;
            if (!data.notifyByEmail) return;
            const contacts = await projectContactRecipients(broker, data.projectId);
            await deliverToEach(em, deps, event.id, contacts, {
              eventType: 'submittal.sent',
              template: 'submittal-sent',
              data: {
                number: data.number,
                revision: data.revision,
                title: data.title,
                purpose: purposeText[data.purpose],
                expectedReturnDate: data.expectedReturnDate,
              },
              path: `/portal/submittals/${data.submittalId}`,
              summary: `Submittal ${data.number} rev ${data.revision}: ${data.title}`,
            });
            return;
          }
          case 'submittals.submittal.returned': {
            const data = event.data;
            await deliverToEach(em, deps, event.id, await staffEmailRecipients(broker), {
              eventType: 'submittal.returned',
              template: 'submittal-returned',
              data: {
                number: data.number,
                revision: data.revision,
                title: data.title,
                code: data.code,
                label: data.label,
                stageComplete: data.stageComplete,
              },
              path: `/admin/submittals/${data.submittalId}`,
              summary: `Submittal ${data.number} rev ${data.revision} returned: ${data.code} – ${data.label}`,
            });
            return;
          }
          case 'submittals.submittal.received': {
            const data = event.data;
            await deliverToEach(em, deps, event.id, await staffEmailRecipients(broker), {
              eventType: 'submittal.received',
              template: 'submittal-received',
              data: { transmittalNumber: data.transmittalNumber, fileCount: data.fileCount },
              path: `/admin/incoming-submittals/${data.incomingSubmittalId}`,
              summary: `Incoming submittal ${data.transmittalNumber} (${data.fileCount} file(s))`,
            });
            return;
          }
          case 'submittals.submittal.overdue': {
            const data = event.data;
            await deliverToEach(em, deps, event.id, await staffEmailRecipients(broker), {
              eventType: 'submittal.overdue',
              template: 'submittal-overdue',
              data: {
                number: data.number,
                revision: data.revision,
                title: data.title,
                expectedReturnDate: data.expectedReturnDate,
              },
              path: `/admin/submittals/${data.submittalId}`,
              summary: `Overdue: submittal ${data.number} rev ${data.revision} (expected ${data.expectedReturnDate})`,
            });
            return;
          }
        }
      },
    }),
    defineConsumer({
      durableName: 'notifications-email-on-document-requests',
      concurrency: emailConcurrency,
      events: ['documents.request.created', 'documents.request.fulfilled'],
      async handle(event, em) {
        if (event.type === 'documents.request.created') {
          const data = event.data;
          const contacts = await requestedContactRecipients(broker, data.requestedFromContactIds, data.owner);
          await deliverToEach(em, deps, event.id, contacts, {
            eventType: 'document-request.created',
            template: 'document-request-created',
            data: { title: data.title, dueDate: data.dueDate },
            path: '/portal/requests',
            summary: `Document requested: ${data.title}`,
          });
          return;
        }
        const data = event.data;
        await deliverToEach(em, deps, event.id, await staffEmailRecipients(broker), {
          eventType: 'document-request.fulfilled',
          template: 'document-request-fulfilled',
          data: {},
          path: `/admin/accounts/${data.accountId}/document-requests`,
          summary: 'A customer answered a document request',
        });
      },
    }),
    defineConsumer({
      durableName: 'notifications-email-on-access-request-received',
      events: ['identity.access-request.received'],
      async handle(event, em) {
        await deliverToEach(em, deps, event.id, await staffEmailRecipients(broker), {
          eventType: 'access-request.received',
          template: 'access-request-received',
          data: { company: event.data.company },
          path: '/admin/access-requests',
          summary: `Access request from ${event.data.company}`,
        });
      },
    }),
  ];
}
