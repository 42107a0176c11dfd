import { z } from 'zod';
import { defineAction, type ActionContract } from '../contract.ts';
import { pageOf, pageParamsSchema, type HttpBinding } from '../http.ts';
import { text } from '../text.ts';
import { notificationRecipientKinds } from './models.ts';

const timestamp = z.iso.datetime({ offset: true });

/**
 * The kinds of e-mail a recipient may choose how to receive (one preference each). The digest is
 * not one of them: it carries messages of the types set to `daily-digest`.
 */
export const emailEventTypes = [
  'submittal.sent',
  'submittal.returned',
  'submittal.received',
  'submittal.overdue',
  'document-request.created',
  'document-request.fulfilled',
  'access-request.received',
] as const;
export const emailEventTypeSchema = z.enum(emailEventTypes);
export type EmailEventType = z.infer<typeof emailEventTypeSchema>;

/**
 * Who receives each event type's e-mail (as the service's consumers send them): contacts hear of
 * what their supplier sends or asks, staff of what customers do. A preference screen lists only
 * its audience's types; the API keeps accepting all of them.
 */
export const emailEventAudiences = {
  'submittal.sent': 'contact',
  'submittal.returned': 'staff',
  'submittal.received': 'staff',
  'submittal.overdue': 'staff',
  'document-request.created': 'contact',
  'document-request.fulfilled': 'staff',
  'access-request.received': 'staff',
} as const satisfies Record<EmailEventType, (typeof notificationRecipientKinds)[number]>;

/** The event types whose e-mails reach `kind`, in the order of `emailEventTypes`. */
export const emailEventTypesFor = (kind: (typeof notificationRecipientKinds)[number]): EmailEventType[] =>
  emailEventTypes.filter((eventType) => emailEventAudiences[eventType] === kind);

/** How a recipient wants an event type's e-mail: at once (the default), in the daily digest, or not at all. */
export const emailDeliveries = ['immediately', 'daily-digest', 'off'] as const;
export const emailDeliverySchema = z.enum(emailDeliveries);
export type EmailDelivery = z.infer<typeof emailDeliverySchema>;

export const emailPreferenceSchema = z.object({ eventType: emailEventTypeSchema, delivery: emailDeliverySchema });
export type EmailPreference = z.infer<typeof emailPreferenceSchema>;

/** Every event type with the caller's choice (`immediately` where none was made). */
export const emailPreferencesSchema = z.object({ items: z.array(emailPreferenceSchema) });

const setPreferencesParams = z.object({
  preferences: z
    .array(emailPreferenceSchema)
    .min(1)
    .max(emailEventTypes.length)
    .refine((list) => new Set(list.map((item) => item.eventType)).size === list.length, 'one entry per event type')
    .describe('The event types to change; the others keep their setting.'),
});

type Audience = 'staff' | 'portal';
const preferencesBinding = (audience: Audience, method: 'GET' | 'PUT', summary: string): HttpBinding =>
  audience === 'staff'
    ? {
        audience: 'staff',
        permission: 'notifications:read',
        tag: 'Notification preferences',
        method,
        path: '/admin/notification-preferences',
        summary,
      }
    : {
        audience: 'portal',
        tag: 'Portal notification preferences',
        method,
        path: '/portal/notification-preferences',
        summary,
      };

function preferenceActions(audience: Audience) {
  const whose = audience === 'staff' ? 'the signed-in staff user' : 'the signed-in contact';
  return {
    get: defineAction({
      description: `The e-mail preferences of ${whose}, one per event type.`,
      errors: ['NOTIFICATION_RECIPIENT_REQUIRED'],
      params: z.object({}),
      result: emailPreferencesSchema,
      http: preferencesBinding(audience, 'GET', 'My e-mail preferences'),
    }),
    set: defineAction({
      description: `Changes e-mail preferences of ${whose} (only their own); answers all of them.`,
      errors: ['NOTIFICATION_RECIPIENT_REQUIRED'],
      params: setPreferencesParams,
      result: emailPreferencesSchema,
      http: preferencesBinding(audience, 'PUT', 'Change my e-mail preferences'),
    }),
  } satisfies Record<string, ActionContract>;
}
const staffPreferences = preferenceActions('staff');
const portalPreferences = preferenceActions('portal');

// ---- one-click unsubscribe -----------------------------------------------------------------------

/** A signed token from an e-mail's unsubscribe link (recipient and event type, HMAC-SHA256). */
export const unsubscribeTokenSchema = z
  .string()
  .min(10)
  .max(600)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'an unsubscribe token from an e-mail');

export const unsubscribeResultSchema = z.object({
  eventTypes: z
    .array(emailEventTypeSchema)
    .describe('The event types the link stops (the digest link: all digested ones).'),
  message: z.string().describe('What to show, e.g. "You will no longer receive e-mails about sent submittals."'),
  audience: z
    .enum(notificationRecipientKinds)
    .describe("Whose preferences the link changes: a staff user's or a contact's (which app's settings to offer)."),
});

const unsubscribeBinding = (method: 'GET' | 'POST', summary: string): HttpBinding => ({
  audience: 'public',
  tag: 'Unsubscribe',
  method,
  path: '/public/unsubscribe/:token',
  ...(method === 'POST' ? { body: 'one-click' as const } : {}),
  summary,
});

export const describeUnsubscribe = defineAction({
  description:
    'What the unsubscribe link of an e-mail would stop, without changing anything (mail scanners follow links).',
  errors: ['UNSUBSCRIBE_TOKEN_INVALID'],
  params: z.object({ token: unsubscribeTokenSchema }),
  result: unsubscribeResultSchema,
  http: unsubscribeBinding('GET', 'Describe an unsubscribe link'),
});

export const unsubscribe = defineAction({
  description:
    "One-click unsubscribe (RFC 8058 target of the `List-Unsubscribe` header): sets the token's recipient's preference for its event type to `off`. No login; a tampered token answers 400.",
  errors: ['UNSUBSCRIBE_TOKEN_INVALID'],
  params: z.object({ token: unsubscribeTokenSchema }),
  result: unsubscribeResultSchema,
  http: unsubscribeBinding('POST', 'Unsubscribe with a link from an e-mail'),
});

// ---- the e-mail log and the templates --------------------------------------------------------------

export const emailStatuses = ['queued', 'sent', 'failed', 'held', 'suppressed'] as const;
export const emailStatusSchema = z.enum(emailStatuses);
export type EmailStatus = z.infer<typeof emailStatusSchema>;

export const emailLogEntrySchema = z.object({
  id: z.uuid(),
  eventId: z.uuid().describe('The durable event that caused it (for a digest: its own id).'),
  template: z.string(),
  eventType: z.string().nullable(),
  recipientKind: z.enum(notificationRecipientKinds).nullable(),
  recipientId: z.string().nullable(),
  recipient: z.string().describe('The address.'),
  subject: z.string(),
  status: emailStatusSchema.describe(
    '`held`: waits for the digest; `suppressed`: the preference is off; `failed`: the last try failed and is retried.',
  ),
  error: z.string().nullable(),
  messageId: z.string().nullable(),
  createdAt: timestamp,
  sentAt: timestamp.nullable(),
});
export type EmailLogEntry = z.infer<typeof emailLogEntrySchema>;

export const listEmailLog = defineAction({
  description: 'Every e-mail the service handled, newest first, with its status. Never a body.',
  errors: [],
  params: pageParamsSchema.extend({
    status: emailStatusSchema.optional(),
    recipient: text({ max: 320 }).optional().describe('An exact address.'),
  }),
  result: pageOf(emailLogEntrySchema),
  http: {
    audience: 'staff',
    permission: 'settings:write',
    tag: 'E-mail',
    method: 'GET',
    path: '/admin/email-log',
    summary: 'The e-mail log',
  },
});

export const emailTemplateNameSchema = z
  .string()
  .min(1)
  .max(60)
  .regex(/^[a-z][a-z0-9-]*$/, 'a template name');

export const renderedEmailSchema = z.object({ subject: z.string(), text: z.string(), html: z.string() });

export const listEmailTemplates = defineAction({
  description: 'The e-mail templates, each with where it is read from (built in or the override folder).',
  errors: [],
  params: z.object({}),
  result: z.object({
    items: z.array(
      z.object({
        name: z.string(),
        overridden: z.boolean().describe('A file of the configured template folder replaces a built-in part.'),
        sampleData: z.record(z.string(), z.unknown()),
      }),
    ),
  }),
  http: {
    audience: 'staff',
    permission: 'settings:write',
    tag: 'E-mail',
    method: 'GET',
    path: '/admin/email-templates',
    summary: 'List e-mail templates',
  },
});

export const previewEmailTemplate = defineAction({
  description: 'Renders a template with its sample data (plus the given values) in the layout, as it would be sent.',
  errors: ['EMAIL_TEMPLATE_NOT_FOUND', 'EMAIL_TEMPLATE_DATA_INVALID'],
  params: z.object({
    name: emailTemplateNameSchema,
    data: z.record(z.string(), z.unknown()).optional().describe('Values replacing the sample ones.'),
  }),
  result: renderedEmailSchema,
  http: {
    audience: 'staff',
    permission: 'settings:write',
    tag: 'E-mail',
    method: 'POST',
    path: '/admin/email-templates/:name/preview',
    summary: 'Preview an e-mail template',
  },
});

/** Internal (no HTTP): sends every held message as one digest per recipient now; the sweep calls the same. */
export const sendDigests = defineAction({
  description: 'Sends the held messages, one digest e-mail per recipient.',
  errors: [],
  params: z.object({}),
  result: z.object({ digests: z.int().nonnegative(), messages: z.int().nonnegative() }),
});

export const notificationsEmailActions = {
  'notifications.getStaffEmailPreferences': staffPreferences.get,
  'notifications.setStaffEmailPreferences': staffPreferences.set,
  'notifications.getPortalEmailPreferences': portalPreferences.get,
  'notifications.setPortalEmailPreferences': portalPreferences.set,
  'notifications.describeUnsubscribe': describeUnsubscribe,
  'notifications.unsubscribe': unsubscribe,
  'notifications.listEmailLog': listEmailLog,
  'notifications.listEmailTemplates': listEmailTemplates,
  'notifications.previewEmailTemplate': previewEmailTemplate,
  'notifications.sendDigests': sendDigests,
} as const;
