import { z } from 'zod';
import { boundedDate, text } from '../text.ts';

const timestamp = z.iso.datetime({ offset: true });
/** Account numbers, site and project codes: what staff type and customers quote. */
const code = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'letters, digits and . _ - / only');
export const emailSchema = z
  .email()
  .max(254)
  .transform((value) => value.trim().toLowerCase());

// ---- account classes -------------------------------------------------------------------------

export const accountClassSettingsSchema = z.object({
  autoSendInvite: z.boolean().describe('Send a portal invite when a contact is created.'),
  allowSelfRegistration: z.boolean().describe('Contacts may register themselves with an invoice number.'),
  requireMfa: z.boolean().describe('Contacts of these accounts must set up MFA.'),
});

export const accountClassSchema = accountClassSettingsSchema.extend({
  id: z.uuid(),
  name: text({ max: 100 }),
  description: text({ max: 1000, min: 0, multiline: true }).nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type AccountClass = z.infer<typeof accountClassSchema>;

export const accountClassInputSchema = accountClassSettingsSchema.partial().extend({
  name: text({ max: 100 }),
  description: text({ max: 1000, min: 0, multiline: true }).nullable().optional(),
});

// ---- accounts --------------------------------------------------------------------------------

export const accountKinds = ['customer', 'consolidated'] as const;
export const accountKindSchema = z.enum(accountKinds);

export const accountSchema = z.object({
  id: z.uuid(),
  number: code.describe('The account number, unique across the installation.'),
  name: text({ max: 200 }),
  kind: accountKindSchema.describe('A consolidated account groups customer accounts.'),
  classId: z.uuid().nullable(),
  consolidatedAccountId: z.uuid().nullable().describe('The consolidated account this customer account belongs to.'),
  archivedAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Account = z.infer<typeof accountSchema>;

export const accountCreateSchema = z.object({
  number: code,
  name: text({ max: 200 }),
  kind: accountKindSchema.default('customer'),
  classId: z.uuid().nullable().optional(),
  consolidatedAccountId: z.uuid().nullable().optional(),
});

export const accountUpdateSchema = z
  .object({
    number: code,
    name: text({ max: 200 }),
    consolidatedAccountId: z.uuid().nullable(),
  })
  .partial();

// ---- sites and projects ----------------------------------------------------------------------

export const addressSchema = z.object({
  line1: text({ max: 200, min: 0 }).nullable(),
  line2: text({ max: 200, min: 0 }).nullable(),
  city: text({ max: 100, min: 0 }).nullable(),
  postalCode: text({ max: 20, min: 0 }).nullable(),
  country: z
    .string()
    .trim()
    .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, e.g. DE')
    .nullable(),
});

export const siteSchema = z.object({
  id: z.uuid(),
  accountId: z.uuid(),
  code,
  name: text({ max: 200 }),
  address: addressSchema,
  archivedAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Site = z.infer<typeof siteSchema>;

export const siteCreateSchema = z.object({
  code,
  name: text({ max: 200 }),
  address: addressSchema.partial().optional(),
});
export const siteUpdateSchema = z
  .object({ code, name: text({ max: 200 }), address: addressSchema.partial() })
  .partial();

export const projectSchema = z.object({
  id: z.uuid(),
  accountId: z.uuid(),
  siteId: z.uuid().nullable(),
  code,
  name: text({ max: 200 }),
  hidden: z.boolean().describe('Hidden projects are never visible in the portal.'),
  completed: z.boolean().describe('Completed projects are no longer visible in the portal.'),
  archivedAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Project = z.infer<typeof projectSchema>;

export const projectCreateSchema = z.object({
  code,
  name: text({ max: 200 }),
  siteId: z.uuid().nullable().optional(),
  hidden: z.boolean().default(false),
  completed: z.boolean().default(false),
});
export const projectUpdateSchema = z
  .object({ code, name: text({ max: 200 }), siteId: z.uuid().nullable(), hidden: z.boolean(), completed: z.boolean() })
  .partial();

// ---- contacts and portal access --------------------------------------------------------------

export const accessStatuses = ['none', 'invited', 'enabled', 'disabled'] as const;
export const accessStatusSchema = z.enum(accessStatuses);
export type AccessStatus = z.infer<typeof accessStatusSchema>;

/** `all`: every current and future site and project of the account; `selected`: the listed ones. */
export const accessScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({
    kind: z.literal('selected'),
    siteIds: z.array(z.uuid()).max(1000).default([]),
    projectIds: z.array(z.uuid()).max(5000).default([]),
  }),
]);
export type AccessScope = z.infer<typeof accessScopeSchema>;

export const portalAccessSchema = z.object({
  status: accessStatusSchema,
  scope: accessScopeSchema,
  mfaRequired: z.boolean(),
  identityUserId: z.string().nullable(),
  invitedAt: timestamp.nullable(),
  inviteExpiresAt: timestamp.nullable(),
  enabledAt: timestamp.nullable(),
  disabledAt: timestamp.nullable(),
});
export type PortalAccess = z.infer<typeof portalAccessSchema>;

export const contactSchema = z.object({
  id: z.uuid(),
  accountId: z.uuid(),
  siteId: z.uuid().nullable().describe('Set for a site-level contact, who sees only that site.'),
  firstName: text({ max: 100 }),
  lastName: text({ max: 100 }),
  email: z.email().nullable(),
  phone: z.string().max(40).nullable(),
  title: z.string().max(100).nullable(),
  access: portalAccessSchema,
  archivedAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Contact = z.infer<typeof contactSchema>;

const phone = z
  .string()
  .trim()
  .max(40)
  .regex(/^[+0-9 ()./-]*$/, 'digits, spaces and + ( ) . / - only');

export const contactCreateSchema = z.object({
  firstName: text({ max: 100 }),
  lastName: text({ max: 100 }),
  email: emailSchema.nullable().optional(),
  phone: phone.nullable().optional(),
  title: text({ max: 100, min: 0 }).nullable().optional(),
  siteId: z.uuid().nullable().optional(),
});
export const contactUpdateSchema = z
  .object({
    firstName: text({ max: 100 }),
    lastName: text({ max: 100 }),
    email: emailSchema.nullable(),
    phone: phone.nullable(),
    title: text({ max: 100, min: 0 }).nullable(),
    siteId: z.uuid().nullable(),
  })
  .partial();

/** One row of an account's Portal tab. */
export const portalTabRowSchema = z.object({
  contactId: z.uuid(),
  name: z.string(),
  email: z.string().nullable(),
  siteId: z.uuid().nullable(),
  status: accessStatusSchema,
  scope: z.enum(['all', 'selected']),
});

// ---- system options and invoice references ---------------------------------------------------

export const systemOptionsSchema = z.object({
  requestLoginButton: z.boolean().describe('Show a "Request login" button on the portal login page.'),
  selfRegistration: z.boolean().describe('Allow invoice-verified self-registration where the account class allows it.'),
  updatedAt: timestamp.nullable(),
});
export type SystemOptions = z.infer<typeof systemOptionsSchema>;

export const invoiceReferenceInputSchema = z.object({
  number: code,
  accountNumber: code,
  quickPayCode: text({ min: 4, max: 40 }).nullable().optional(),
  amount: z.string().regex(/^-?\d{1,12}(\.\d{1,2})?$/, 'a decimal amount such as 1250.00'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217, e.g. EUR'),
  issuedAt: boundedDate,
});

export const invoiceReferenceSchema = z.object({
  id: z.uuid(),
  number: z.string(),
  accountId: z.uuid(),
  hasQuickPayCode: z.boolean().describe('The code itself is a secret and never returned.'),
  amount: z.string(),
  currency: z.string(),
  issuedAt: z.iso.date(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

// ---- audit and imports -----------------------------------------------------------------------

export const auditEntrySchema = z.object({
  id: z.string(),
  occurredAt: timestamp,
  actor: z.unknown(),
  sourceIp: z.string().nullable(),
  requestId: z.string().nullable(),
  accountId: z.uuid().nullable(),
  contactId: z.uuid().nullable(),
  entity: z.enum([
    'account',
    'account-class',
    'site',
    'project',
    'contact',
    'access',
    'access-scope',
    'access-request',
    'system-options',
    'invoice-reference',
    'document',
    'file-type',
    'return-codes',
  ]),
  entityId: z.string(),
  action: z.string(),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const importStatuses = ['running', 'completed', 'failed'] as const;

export const contactImportSchema = z.object({
  id: z.uuid(),
  status: z.enum(importStatuses),
  totalRows: z.number().int().nullable(),
  processedRows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), messages: z.array(z.string()) })),
  failure: z.string().nullable().describe('Why a failed import stopped; rows before that line were imported.'),
  startedAt: timestamp,
  finishedAt: timestamp.nullable(),
});
export type ContactImport = z.infer<typeof contactImportSchema>;

/**
 * An import job of any kind (contacts CSV, invoice references): the same progress and per-item
 * errors. For invoice references `line` is the item's 1-based position in `items`.
 */
export const importJobSchema = contactImportSchema;
export type ImportJob = ContactImport;

/** The columns of the contacts CSV (import and export), in order. */
export const contactCsvColumns = [
  'account_number',
  'site_code',
  'first_name',
  'last_name',
  'email',
  'phone',
  'title',
] as const;
