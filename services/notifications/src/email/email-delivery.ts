import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Transporter } from 'nodemailer';
import { portalUnsubscribePagePath, type EmailEventType, type NotificationRecipient } from '@portal/contracts';
import type { TransactionalStore } from '@portal/kit';
import { deliveryOf } from '../preferences/preferences.repository.ts';
import { emailStatusOf, recordEmail } from './email-log.repository.ts';
import type { EmailRecipient } from './email-recipients.ts';
import type { EmailTemplateName, RenderEmail, RenderedEmail } from './email-templates.ts';
import { signUnsubscribeToken, type UnsubscribeScope } from './unsubscribe-token.ts';

export interface EmailSettings {
  from: string;
  productName: string;
  /** `PORTAL_PUBLIC_URL` without a trailing slash: links and the unsubscribe URL start with it. */
  publicUrl: string;
  unsubscribeSecret: string;
}

export interface EmailDeliveryDeps {
  mail: Transporter;
  render: RenderEmail;
  settings: EmailSettings;
  /** For the `failed` row, written outside the event's transaction (which rolls back). */
  store: TransactionalStore;
}

/** One e-mail an event causes, before preferences decide what becomes of it. */
export interface EmailMessage {
  to: EmailRecipient;
  eventType: EmailEventType;
  template: EmailTemplateName;
  data: Record<string, unknown>;
  /** An app path, `/portal/...` or `/admin/...`. */
  path: string;
  /** One line for the digest. */
  summary: string;
}

/**
 * The two addresses of one signed token: `page`, the portal's landing page a person opens from the
 * e-mail's body (it says what the link stops and asks for a click, so a mail scanner following
 * links changes nothing), and `oneClick`, the API a mail client POSTs to from the
 * `List-Unsubscribe` header (RFC 8058).
 */
export interface UnsubscribeLinks {
  page: string;
  oneClick: string;
}

export function unsubscribeLinksOf(
  settings: EmailSettings,
  recipient: NotificationRecipient,
  scope: UnsubscribeScope,
): UnsubscribeLinks {
  const token = signUnsubscribeToken(settings.unsubscribeSecret, { recipient, scope });
  return {
    page: `${settings.publicUrl}${portalUnsubscribePagePath(token)}`,
    oneClick: `${settings.publicUrl}/api/v1/public/unsubscribe/${token}`,
  };
}

/** RFC 2369 and RFC 8058: mail clients show "Unsubscribe" and POST to the URL in one click. */
export const listUnsubscribeHeaders = (oneClickUrl: string) => ({
  'List-Unsubscribe': `<${oneClickUrl}>`,
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
});

/**
 * The Message-ID of an event's e-mail of one template to one address: the same on every attempt,
 * so a copy sent again after a crash (see `deliverEmail`) is recognisably the same message, which
 * mail systems and clients de-duplicate. The domain is the sender's.
 */
export function messageIdOf(settings: Pick<EmailSettings, 'from'>, eventId: string, template: string, address: string) {
  const domain = /@([^\s@<>"]+)>?\s*$/.exec(settings.from)?.[1] ?? 'portal.invalid';
  const key = createHash('sha256').update(`${eventId}\n${template}\n${address.toLowerCase()}`).digest('hex');
  return `<${key.slice(0, 40)}@${domain}>`;
}

/** Sends one e-mail; answers its Message-ID (`messageId` when given, else the transport's). */
export async function sendEmail(
  deps: EmailDeliveryDeps,
  address: string,
  email: RenderedEmail,
  oneClickUrl: string,
  messageId?: string,
): Promise<string | null> {
  const sent = (await deps.mail.sendMail({
    from: deps.settings.from,
    to: address,
    ...email,
    headers: listUnsubscribeHeaders(oneClickUrl),
    ...(messageId ? { messageId } : {}),
  })) as { messageId?: string };
  return sent.messageId ?? messageId ?? null;
}

/** "Hello Grace Hopper," when the recipient's name is known, else "Hello there,". */
export const greetingNameOf = (name: string | null | undefined): string => name?.trim() || 'there';

const settled = new Set(['sent', 'held', 'suppressed']);

/**
 * Delivers one message of an event by the recipient's preference, in the event's transaction:
 * `off` logs it suppressed, `daily-digest` holds it for the sweep (both with the event's inbox
 * row), `immediately` sends it and commits its `sent` row at once. The row per (event, template,
 * address) makes a redelivery do nothing for a message already settled; a failed send is logged
 * `failed` (in its own transaction) and thrown, so the consumer retries.
 *
 * Sending is at least once, not exactly once: if the process dies after the relay accepted the
 * message and before its `sent` row commits, the redelivered event sends it again. The row is
 * committed `queued` before sending, with the message's fixed Message-ID (`messageIdOf`), so such
 * a second copy carries the same Message-ID (receivers de-duplicate) and the log shows a `queued`
 * row for a message whose fate is unknown while it waits for that redelivery.
 */
export async function deliverEmail(
  em: EntityManager,
  deps: EmailDeliveryDeps,
  eventId: string,
  message: EmailMessage,
): Promise<void> {
  const { to, template, eventType } = message;
  const previous = await emailStatusOf(em, eventId, template, to.address);
  if (previous && settled.has(previous)) return;

  const link = `${deps.settings.publicUrl}${message.path}`;
  const unsubscribe = unsubscribeLinksOf(deps.settings, to.recipient, eventType);
  const email = deps.render(template, {
    ...message.data,
    productName: deps.settings.productName,
    recipientName: greetingNameOf(to.name),
    link,
    unsubscribeUrl: unsubscribe.page,
  });
  const record = { eventId, template, eventType, recipient: to.recipient, address: to.address, subject: email.subject };

  const delivery = await deliveryOf(em, to.recipient, eventType);
  if (delivery === 'off') {
    await recordEmail(em, { ...record, status: 'suppressed' });
    return;
  }
  if (delivery === 'daily-digest') {
    const logId = await recordEmail(em, { ...record, status: 'held' });
    await em.execute(
      `insert into email_digest_item
         (id, email_log_id, recipient_kind, recipient_id, address, recipient_name, event_type, summary, link)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [randomUUID(), logId, to.recipient.kind, to.recipient.id, to.address, to.name, eventType, message.summary, link],
    );
    return;
  }
  const messageId = messageIdOf(deps.settings, eventId, template, to.address);
  await deps.store.change((tx) => recordEmail(tx, { ...record, status: 'queued', messageId }));
  try {
    await sendEmail(deps, to.address, email, unsubscribe.oneClick, messageId);
  } catch (error) {
    const reason = error instanceof Error ? error.message.slice(0, 500) : 'send failed';
    await deps.store
      .change((tx) => recordEmail(tx, { ...record, status: 'failed', messageId, error: reason }))
      .catch(() => {});
    throw error;
  }
  // Its own transaction, committed at once: if a later recipient's send fails and the event is
  // retried, this one is found `sent` and not mailed again.
  await deps.store.change((tx) => recordEmail(tx, { ...record, status: 'sent', messageId }));
}
