import type moleculer from 'moleculer';
import type { EmailPreference, NotificationRecipient } from '@portal/contracts';
import { callerOf, contractAction, type TransactionalStore } from '@portal/kit';
import { notificationsError } from '../errors.ts';
import { verifyUnsubscribeToken } from '../email/unsubscribe-token.ts';
import { preferencesOf, savePreferences } from './preferences.repository.ts';

/** The caller's own preferences: the staff user or contact of the verified token, never a param. */
function ownRecipient(ctx: moleculer.Context, kind: NotificationRecipient['kind']): NotificationRecipient {
  const { actor } = callerOf(ctx);
  if (kind === 'staff' && actor.kind === 'staff') return { kind, id: actor.userId };
  if (kind === 'contact' && actor.kind === 'contact') return { kind, id: actor.contactId };
  throw notificationsError('NOTIFICATION_RECIPIENT_REQUIRED');
}

/** What the unsubscribe page says, per event type. */
const aboutEventType: Record<EmailPreference['eventType'], string> = {
  'submittal.sent': 'submittals sent to you',
  'submittal.returned': 'returned submittals',
  'submittal.received': 'submittals received from customers',
  'submittal.overdue': 'overdue submittals',
  'document-request.created': 'new document requests',
  'document-request.fulfilled': 'answered document requests',
  'access-request.received': 'access requests',
};

const sentenceFor = (eventTypes: readonly EmailPreference['eventType'][]) =>
  eventTypes.length === 0
    ? 'You receive no digest e-mails.'
    : `You will no longer receive e-mails about ${eventTypes.map((type) => aboutEventType[type]).join(', ')}.`;

/** Preferences for both audiences, and the public one-click unsubscribe. */
export function preferencesActions(
  store: TransactionalStore,
  unsubscribeSecret: string,
): Record<string, moleculer.ActionSchema> {
  const set = async (recipient: NotificationRecipient, preferences: EmailPreference[]) =>
    store.change(async (tx) => {
      await savePreferences(tx, recipient, preferences);
      return { items: await preferencesOf(tx, recipient) };
    });

  /** The event types a token stops: its own, or for a digest's link every type now digested. */
  async function resolveToken(token: string) {
    const claim = verifyUnsubscribeToken(unsubscribeSecret, token);
    if (!claim) throw notificationsError('UNSUBSCRIBE_TOKEN_INVALID');
    const eventTypes =
      claim.scope === 'digest'
        ? (await preferencesOf(store.read(), claim.recipient))
            .filter((preference) => preference.delivery === 'daily-digest')
            .map((preference) => preference.eventType)
        : [claim.scope];
    return { recipient: claim.recipient, eventTypes };
  }

  return {
    getStaffEmailPreferences: contractAction('notifications.getStaffEmailPreferences', async (_args, ctx) => ({
      items: await preferencesOf(store.read(), ownRecipient(ctx, 'staff')),
    })),
    setStaffEmailPreferences: contractAction('notifications.setStaffEmailPreferences', ({ preferences }, ctx) =>
      set(ownRecipient(ctx, 'staff'), preferences),
    ),
    getPortalEmailPreferences: contractAction('notifications.getPortalEmailPreferences', async (_args, ctx) => ({
      items: await preferencesOf(store.read(), ownRecipient(ctx, 'contact')),
    })),
    setPortalEmailPreferences: contractAction('notifications.setPortalEmailPreferences', ({ preferences }, ctx) =>
      set(ownRecipient(ctx, 'contact'), preferences),
    ),
    describeUnsubscribe: contractAction('notifications.describeUnsubscribe', async ({ token }) => {
      const { recipient, eventTypes } = await resolveToken(token);
      return {
        eventTypes,
        message: sentenceFor(eventTypes).replace('You will no longer', 'Confirm to no longer'),
        audience: recipient.kind,
      };
    }),
    unsubscribe: contractAction('notifications.unsubscribe', async ({ token }) => {
      const { recipient, eventTypes } = await resolveToken(token);
      if (eventTypes.length > 0) {
        await store.change((tx) =>
          savePreferences(
            tx,
            recipient,
            eventTypes.map((eventType) => ({ eventType, delivery: 'off' as const })),
          ),
        );
      }
      return { eventTypes, message: sentenceFor(eventTypes), audience: recipient.kind };
    }),
  };
}
