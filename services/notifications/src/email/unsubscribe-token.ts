import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  emailEventTypeSchema,
  notificationRecipientSchema,
  type EmailEventType,
  type NotificationRecipient,
} from '@portal/contracts';

/** What an unsubscribe link stops: one event type, or (`digest`) every type the recipient gets digested. */
export type UnsubscribeScope = EmailEventType | 'digest';

export interface UnsubscribeClaim {
  recipient: NotificationRecipient;
  scope: UnsubscribeScope;
}

const claimSchema = z.object({
  k: notificationRecipientSchema.shape.kind,
  r: notificationRecipientSchema.shape.id,
  e: z.union([emailEventTypeSchema, z.literal('digest')]),
});

const mac = (secret: string, payload: string) =>
  createHmac('sha256', `notifications-unsubscribe:${secret}`).update(payload).digest('base64url');

/**
 * Signs `<payload>.<HMAC-SHA256>` (both base64url): the recipient and the event type, nothing else,
 * so the link works without a login and cannot be turned to another recipient or type. It does not
 * expire: an old e-mail's link still unsubscribes (what RFC 8058 expects of a one-click link).
 */
export function signUnsubscribeToken(secret: string, claim: UnsubscribeClaim): string {
  const payload = Buffer.from(
    JSON.stringify({ k: claim.recipient.kind, r: claim.recipient.id, e: claim.scope }),
  ).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/** The claim of a token signed with `secret`, or null when it was altered, truncated or signed with another. */
export function verifyUnsubscribeToken(secret: string, token: string): UnsubscribeClaim | null {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return null;
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const claim = claimSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return claim.success ? { recipient: { kind: claim.data.k, id: claim.data.r }, scope: claim.data.e } : null;
  } catch {
    return null;
  }
}
