import type { EntityManager } from '@mikro-orm/postgresql';
import {
  emailEventTypes,
  type EmailDelivery,
  type EmailEventType,
  type EmailPreference,
  type NotificationRecipient,
} from '@portal/contracts';

/** Where no choice was made, e-mails go out at once. */
export const defaultDelivery: EmailDelivery = 'immediately';

/** Every event type with the recipient's choice, in the contract's order. */
export async function preferencesOf(em: EntityManager, recipient: NotificationRecipient): Promise<EmailPreference[]> {
  const rows = await em.execute<{ event_type: string; delivery: EmailDelivery }[]>(
    'select event_type, delivery from notification_preference where recipient_kind = ? and recipient_id = ?',
    [recipient.kind, recipient.id],
  );
  const chosen = new Map(rows.map((row) => [row.event_type, row.delivery]));
  return emailEventTypes.map((eventType) => ({ eventType, delivery: chosen.get(eventType) ?? defaultDelivery }));
}

export async function deliveryOf(
  em: EntityManager,
  recipient: NotificationRecipient,
  eventType: EmailEventType,
): Promise<EmailDelivery> {
  const rows = await em.execute<{ delivery: EmailDelivery }[]>(
    'select delivery from notification_preference where recipient_kind = ? and recipient_id = ? and event_type = ?',
    [recipient.kind, recipient.id, eventType],
  );
  return rows[0]?.delivery ?? defaultDelivery;
}

export async function savePreferences(
  em: EntityManager,
  recipient: NotificationRecipient,
  preferences: readonly EmailPreference[],
): Promise<void> {
  for (const { eventType, delivery } of preferences) {
    await em.execute(
      `insert into notification_preference (recipient_kind, recipient_id, event_type, delivery) values (?, ?, ?, ?)
       on conflict (recipient_kind, recipient_id, event_type) do update set delivery = excluded.delivery, updated_at = now()`,
      [recipient.kind, recipient.id, eventType, delivery],
    );
  }
}
