import { z } from 'zod';
import { actorSchema } from '../envelope.ts';
import { emailSchema } from '../directory/models.ts';
import { text } from '../text.ts';

const timestamp = z.iso.datetime({ offset: true });

/** A password generated for a contact: shown to staff once, never stored or logged by the portal. */
export const generatedPasswordSchema = z.object({
  password: z.string().describe('Shown once; the portal keeps no copy.'),
  temporary: z.boolean().describe('The contact must choose a new password at the first login.'),
});

export const invitationStatuses = ['pending', 'accepted', 'expired', 'cancelled'] as const;

/** An invitation to the portal: Keycloak's execute-actions e-mail, tracked here for expiry and resends. */
export const invitationSchema = z.object({
  contactId: z.uuid(),
  accountId: z.uuid(),
  email: z.string(),
  status: z.enum(invitationStatuses),
  invitedBy: actorSchema,
  invitedAt: timestamp,
  expiresAt: timestamp,
  resentAt: timestamp.nullable(),
  sends: z.int().positive().describe('How many e-mails were sent (1 + resends).'),
});
export type Invitation = z.infer<typeof invitationSchema>;

export const accessRequestStatuses = ['pending', 'approved', 'rejected'] as const;

/** A "Request access" form from the login page, waiting in the staff queue. */
export const accessRequestSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
  company: z.string(),
  message: z.string().nullable(),
  status: z.enum(accessRequestStatuses),
  createdAt: timestamp,
  decidedAt: timestamp.nullable(),
  decidedBy: actorSchema.nullable(),
  contactId: z.uuid().nullable().describe('The contact linked or created on approval.'),
  decisionReason: z
    .string()
    .nullable()
    .describe('Why staff rejected it, for staff only: the polite e-mail does not quote it.'),
});
export type AccessRequest = z.infer<typeof accessRequestSchema>;

export const accessRequestInputSchema = z.object({
  name: text({ max: 200 }),
  email: emailSchema,
  company: text({ max: 200 }),
  message: text({ max: 2000, min: 0, multiline: true }).nullable().optional(),
});

/** Invoice-verified self-registration: the invoice plus either its quick-pay code or the account number. */
export const selfRegistrationInputSchema = z
  .object({
    email: emailSchema,
    invoiceNumber: text({ max: 40 }),
    quickPayCode: text({ max: 40 }).optional(),
    accountNumber: text({ max: 40 }).optional(),
    firstName: text({ max: 100 })
      .optional()
      .describe('For a new contact; without it the part of the e-mail before @ is used.'),
    lastName: text({ max: 100 }).optional().describe('For a new contact.'),
  })
  .refine((input) => (input.quickPayCode === undefined) !== (input.accountNumber === undefined), {
    message: 'give either quickPayCode or accountNumber',
    path: ['quickPayCode'],
  });

/** The one answer of the public forms, whatever happened: nothing about accounts, invoices or e-mails leaks. */
export const publicFormReceiptSchema = z.object({
  received: z.literal(true),
  message: z.string(),
});
