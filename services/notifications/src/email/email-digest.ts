import { randomUUID } from 'node:crypto';
import type { EmailEventType, NotificationRecipient } from '@portal/contracts';
import { sqlArray, type TransactionalStore } from '@portal/kit';
import { recordEmail } from './email-log.repository.ts';
import { greetingNameOf, sendEmail, unsubscribeLinksOf, type EmailDeliveryDeps } from './email-delivery.ts';

interface HeldItem {
  id: string;
  email_log_id: string;
  address: string;
  recipient_name: string | null;
  event_type: EmailEventType;
  summary: string;
  link: string;
}

/**
 * Sends every held message, one digest per recipient, each in its own transaction: the held items
 * are locked (`skip locked`, so two replicas' sweeps never send the same one), the digest sent,
 * then the items and their log rows marked sent. A failed send leaves them held for the next sweep.
 */
export async function sendDigests(
  store: TransactionalStore,
  deps: EmailDeliveryDeps,
): Promise<{ digests: number; messages: number }> {
  const recipients = await store
    .read()
    .execute<{ recipient_kind: NotificationRecipient['kind']; recipient_id: string }[]>(
      'select distinct recipient_kind, recipient_id from email_digest_item where sent_at is null',
    );
  let digests = 0;
  let messages = 0;
  for (const row of recipients) {
    const recipient: NotificationRecipient = { kind: row.recipient_kind, id: row.recipient_id };
    const sentItems = await store.change(async (tx) => {
      const items = await tx.execute<HeldItem[]>(
        `select id, email_log_id, address, recipient_name, event_type, summary, link from email_digest_item
         where recipient_kind = ? and recipient_id = ? and sent_at is null
         order by created_at, id for update skip locked`,
        [recipient.kind, recipient.id],
      );
      const last = items.at(-1);
      if (!last) return 0;
      const unsubscribe = unsubscribeLinksOf(deps.settings, recipient, 'digest');
      const email = deps.render('digest', {
        productName: deps.settings.productName,
        // The name as the latest held message knew it (the immediate e-mails greet with the same).
        recipientName: greetingNameOf(last.recipient_name),
        link: `${deps.settings.publicUrl}/${recipient.kind === 'staff' ? 'admin' : 'portal'}`,
        unsubscribeUrl: unsubscribe.page,
        count: items.length,
        items: items.map((item) => ({
          summary: item.summary,
          link: item.link,
          unsubscribeUrl: unsubscribeLinksOf(deps.settings, recipient, item.event_type).page,
        })),
      });
      const messageId = await sendEmail(deps, last.address, email, unsubscribe.oneClick);
      await recordEmail(tx, {
        eventId: randomUUID(),
        template: 'digest',
        eventType: null,
        recipient,
        address: last.address,
        subject: email.subject,
        status: 'sent',
        messageId,
      });
      const ids = items.map((item) => item.id);
      await tx.execute('update email_digest_item set sent_at = now() where id = any(?::uuid[])', [sqlArray(ids)]);
      await tx.execute(
        `update email_log set status = 'sent', sent_at = now(), message_id = ? where id = any(?::uuid[])`,
        [messageId, sqlArray(items.map((item) => item.email_log_id))],
      );
      return items.length;
    });
    if (sentItems > 0) {
      digests += 1;
      messages += sentItems;
    }
  }
  return { digests, messages };
}
