import { z } from 'zod';
import { defineAction } from '../contract.ts';
import { idSchema, pageOf, pageParamsSchema, queryBoolean } from '../http.ts';
import { boundedDateTime, searchText, text } from '../text.ts';
import {
  accessScopeSchema,
  accessStatusSchema,
  accountClassInputSchema,
  accountClassSchema,
  accountCreateSchema,
  accountKindSchema,
  accountSchema,
  accountUpdateSchema,
  auditEntrySchema,
  contactCreateSchema,
  contactImportSchema,
  contactSchema,
  contactUpdateSchema,
  emailSchema,
  importJobSchema,
  invoiceReferenceInputSchema,
  invoiceReferenceSchema,
  portalTabRowSchema,
  projectCreateSchema,
  projectSchema,
  projectUpdateSchema,
  siteCreateSchema,
  siteSchema,
  siteUpdateSchema,
  systemOptionsSchema,
} from './models.ts';

const search = searchText.optional();
const includeArchived = queryBoolean.default(false);
const staff = { audience: 'staff' } as const;

// ---- account classes -------------------------------------------------------------------------

export const listAccountClasses = defineAction({
  description: 'Account classes, by name.',
  errors: [],
  params: pageParamsSchema.extend({ search }),
  result: pageOf(accountClassSchema),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/account-classes',
    permission: 'directory:read',
    tag: 'Account classes',
    summary: 'List account classes',
  },
});
export const createAccountClass = defineAction({
  description: 'Creates an account class (a bundle of portal settings for accounts).',
  errors: ['ACCOUNT_CLASS_NAME_TAKEN'],
  params: accountClassInputSchema,
  result: accountClassSchema,
  http: {
    ...staff,
    method: 'POST',
    path: '/admin/account-classes',
    permission: 'settings:write',
    successStatus: 201,
    tag: 'Account classes',
    summary: 'Create an account class',
  },
});
export const getAccountClass = defineAction({
  description: 'One account class.',
  errors: ['ACCOUNT_CLASS_NOT_FOUND'],
  params: z.object({ accountClassId: idSchema }),
  result: accountClassSchema,
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/account-classes/:accountClassId',
    permission: 'directory:read',
    tag: 'Account classes',
    summary: 'Get an account class',
  },
});
export const updateAccountClass = defineAction({
  description: 'Changes an account class; its accounts follow the new settings.',
  errors: ['ACCOUNT_CLASS_NOT_FOUND', 'ACCOUNT_CLASS_NAME_TAKEN'],
  params: accountClassInputSchema.partial().extend({ accountClassId: idSchema }),
  result: accountClassSchema,
  http: {
    ...staff,
    method: 'PATCH',
    path: '/admin/account-classes/:accountClassId',
    permission: 'settings:write',
    tag: 'Account classes',
    summary: 'Update an account class',
  },
});
export const deleteAccountClass = defineAction({
  description:
    'Deletes an account class that no account uses (409 otherwise). Unlike other DELETE routes this removes it: classes hold settings, not history.',
  errors: ['ACCOUNT_CLASS_NOT_FOUND', 'ACCOUNT_CLASS_IN_USE'],
  params: z.object({ accountClassId: idSchema }),
  result: z.object({ deleted: z.literal(true) }),
  http: {
    ...staff,
    method: 'DELETE',
    path: '/admin/account-classes/:accountClassId',
    permission: 'settings:write',
    tag: 'Account classes',
    summary: 'Delete an unused account class',
  },
});

// ---- accounts --------------------------------------------------------------------------------

export const listAccounts = defineAction({
  description: 'Accounts by name; search matches name or number.',
  errors: [],
  params: pageParamsSchema.extend({
    search,
    kind: accountKindSchema.optional(),
    classId: idSchema.optional(),
    consolidatedAccountId: idSchema.optional(),
    includeArchived,
  }),
  result: pageOf(accountSchema),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/accounts',
    permission: 'directory:read',
    tag: 'Accounts',
    summary: 'List accounts',
  },
});
export const createAccount = defineAction({
  description: 'Creates a customer or consolidated account.',
  errors: ['ACCOUNT_NUMBER_TAKEN', 'ACCOUNT_CLASS_NOT_FOUND', 'CONSOLIDATED_ACCOUNT_INVALID'],
  params: accountCreateSchema,
  result: accountSchema,
  http: {
    ...staff,
    method: 'POST',
    path: '/admin/accounts',
    permission: 'directory:write',
    successStatus: 201,
    tag: 'Accounts',
    summary: 'Create an account',
  },
});
export const getAccount = defineAction({
  description: 'One account.',
  errors: ['ACCOUNT_NOT_FOUND'],
  params: z.object({ accountId: idSchema }),
  result: accountSchema,
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/accounts/:accountId',
    permission: 'directory:read',
    tag: 'Accounts',
    summary: 'Get an account',
  },
});
export const updateAccount = defineAction({
  description:
    'Changes an account. Its class is changed with setAccountClass (settings:write); classId is refused here.',
  errors: ['ACCOUNT_NOT_FOUND', 'ARCHIVED', 'ACCOUNT_NUMBER_TAKEN', 'CONSOLIDATED_ACCOUNT_INVALID'],
  params: accountUpdateSchema.extend({ accountId: idSchema }),
  result: accountSchema,
  http: {
    ...staff,
    method: 'PATCH',
    path: '/admin/accounts/:accountId',
    permission: 'directory:write',
    tag: 'Accounts',
    summary: 'Update an account',
  },
});
export const setAccountClass = defineAction({
  description:
    "Sets or clears an account's class, which decides its portal settings (MFA, self-registration, invites).",
  errors: ['ACCOUNT_NOT_FOUND', 'ARCHIVED', 'ACCOUNT_CLASS_NOT_FOUND'],
  params: z.object({ accountId: idSchema, classId: idSchema.nullable() }),
  result: accountSchema,
  http: {
    ...staff,
    method: 'PUT',
    path: '/admin/accounts/:accountId/class',
    permission: 'settings:write',
    tag: 'Accounts',
    summary: "Set an account's class",
  },
});
export const archiveAccount = defineAction({
  description:
    'Archives an account (DELETE never erases): it stays readable by id with `archivedAt` set, leaves lists unless `includeArchived=true`, and nothing of it is visible in the portal. Archiving again answers the archived account.',
  errors: ['ACCOUNT_NOT_FOUND'],
  params: z.object({ accountId: idSchema }),
  result: accountSchema,
  http: {
    ...staff,
    method: 'DELETE',
    path: '/admin/accounts/:accountId',
    permission: 'directory:write',
    tag: 'Accounts',
    summary: 'Archive an account',
  },
});

// ---- sites -----------------------------------------------------------------------------------

export const listSites = defineAction({
  description: "An account's sites by code; search matches code or name.",
  errors: ['ACCOUNT_NOT_FOUND'],
  params: pageParamsSchema.extend({ accountId: idSchema, search, includeArchived }),
  result: pageOf(siteSchema),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/accounts/:accountId/sites',
    permission: 'directory:read',
    tag: 'Sites',
    summary: "List an account's sites",
  },
});
export const createSite = defineAction({
  description: 'Creates a site of an account.',
  errors: ['ACCOUNT_NOT_FOUND', 'ARCHIVED', 'SITE_CODE_TAKEN'],
  params: siteCreateSchema.extend({ accountId: idSchema }),
  result: siteSchema,
  http: {
    ...staff,
    method: 'POST',
    path: '/admin/accounts/:accountId/sites',
    permission: 'directory:write',
    successStatus: 201,
    tag: 'Sites',
    summary: 'Create a site',
  },
});
export const getSite = defineAction({
  description: 'One site.',
  errors: ['SITE_NOT_FOUND'],
  params: z.object({ siteId: idSchema }),
  result: siteSchema,
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/sites/:siteId',
    permission: 'directory:read',
    tag: 'Sites',
    summary: 'Get a site',
  },
});
export const updateSite = defineAction({
  description: 'Changes a site.',
  errors: ['SITE_NOT_FOUND', 'ARCHIVED', 'SITE_CODE_TAKEN'],
  params: siteUpdateSchema.extend({ siteId: idSchema }),
  result: siteSchema,
  http: {
    ...staff,
    method: 'PATCH',
    path: '/admin/sites/:siteId',
    permission: 'directory:write',
    tag: 'Sites',
    summary: 'Update a site',
  },
});
export const archiveSite = defineAction({
  description:
    'Archives a site (DELETE never erases): it stays readable by id with `archivedAt` set, leaves lists unless `includeArchived=true`, and is no longer visible in the portal.',
  errors: ['SITE_NOT_FOUND'],
  params: z.object({ siteId: idSchema }),
  result: siteSchema,
  http: {
    ...staff,
    method: 'DELETE',
    path: '/admin/sites/:siteId',
    permission: 'directory:write',
    tag: 'Sites',
    summary: 'Archive a site',
  },
});

// ---- projects --------------------------------------------------------------------------------

export const listProjects = defineAction({
  description: "An account's projects by code; search matches code or name.",
  errors: ['ACCOUNT_NOT_FOUND'],
  params: pageParamsSchema.extend({
    accountId: idSchema,
    search,
    siteId: idSchema.optional(),
    hidden: queryBoolean.optional(),
    completed: queryBoolean.optional(),
    includeArchived,
  }),
  result: pageOf(projectSchema),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/accounts/:accountId/projects',
    permission: 'directory:read',
    tag: 'Projects',
    summary: "List an account's projects",
  },
});
export const createProject = defineAction({
  description: 'Creates a project of an account, optionally on one of its sites.',
  errors: ['ACCOUNT_NOT_FOUND', 'ARCHIVED', 'SITE_NOT_IN_ACCOUNT', 'PROJECT_CODE_TAKEN'],
  params: projectCreateSchema.extend({ accountId: idSchema }),
  result: projectSchema,
  http: {
    ...staff,
    method: 'POST',
    path: '/admin/accounts/:accountId/projects',
    permission: 'directory:write',
    successStatus: 201,
    tag: 'Projects',
    summary: 'Create a project',
  },
});
export const getProject = defineAction({
  description: 'One project.',
  errors: ['PROJECT_NOT_FOUND'],
  params: z.object({ projectId: idSchema }),
  result: projectSchema,
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/projects/:projectId',
    permission: 'directory:read',
    tag: 'Projects',
    summary: 'Get a project',
  },
});
export const updateProject = defineAction({
  description: 'Changes a project (including hidden and completed, which decide portal visibility).',
  errors: ['PROJECT_NOT_FOUND', 'ARCHIVED', 'SITE_NOT_IN_ACCOUNT', 'PROJECT_CODE_TAKEN'],
  params: projectUpdateSchema.extend({ projectId: idSchema }),
  result: projectSchema,
  http: {
    ...staff,
    method: 'PATCH',
    path: '/admin/projects/:projectId',
    permission: 'directory:write',
    tag: 'Projects',
    summary: 'Update a project',
  },
});
export const archiveProject = defineAction({
  description:
    'Archives a project (DELETE never erases): it stays readable by id with `archivedAt` set, leaves lists unless `includeArchived=true`, and is no longer visible in the portal.',
  errors: ['PROJECT_NOT_FOUND'],
  params: z.object({ projectId: idSchema }),
  result: projectSchema,
  http: {
    ...staff,
    method: 'DELETE',
    path: '/admin/projects/:projectId',
    permission: 'directory:write',
    tag: 'Projects',
    summary: 'Archive a project',
  },
});

// ---- contacts --------------------------------------------------------------------------------

export const listContacts = defineAction({
  description: "An account's contacts by name; search matches name or e-mail.",
  errors: ['ACCOUNT_NOT_FOUND'],
  params: pageParamsSchema.extend({
    accountId: idSchema,
    search,
    siteId: idSchema.optional(),
    accessStatus: accessStatusSchema.optional(),
    includeArchived,
  }),
  result: pageOf(contactSchema),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/accounts/:accountId/contacts',
    permission: 'directory:read',
    tag: 'Contacts',
    summary: "List an account's contacts",
  },
});
export const createContact = defineAction({
  description: 'Creates a contact at account level, or at site level with siteId.',
  errors: ['ACCOUNT_NOT_FOUND', 'ARCHIVED', 'SITE_NOT_IN_ACCOUNT', 'CONTACT_EMAIL_TAKEN'],
  params: contactCreateSchema.extend({ accountId: idSchema }),
  result: contactSchema,
  http: {
    ...staff,
    method: 'POST',
    path: '/admin/accounts/:accountId/contacts',
    permission: 'directory:write',
    successStatus: 201,
    tag: 'Contacts',
    summary: 'Create a contact',
  },
});
export const getContact = defineAction({
  description: 'One contact with its portal access.',
  errors: ['CONTACT_NOT_FOUND'],
  params: z.object({ contactId: idSchema }),
  result: contactSchema,
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/contacts/:contactId',
    permission: 'directory:read',
    tag: 'Contacts',
    summary: 'Get a contact',
  },
});
export const updateContact = defineAction({
  description: 'Changes a contact.',
  errors: [
    'CONTACT_NOT_FOUND',
    'ARCHIVED',
    'SITE_NOT_IN_ACCOUNT',
    'CONTACT_EMAIL_TAKEN',
    'PORTAL_LOGIN_TAKEN',
    'CONTACT_EMAIL_REQUIRED',
  ],
  params: contactUpdateSchema.extend({ contactId: idSchema }),
  result: contactSchema,
  http: {
    ...staff,
    method: 'PATCH',
    path: '/admin/contacts/:contactId',
    permission: 'directory:write',
    tag: 'Contacts',
    summary: 'Update a contact',
  },
});
export const archiveContact = defineAction({
  description:
    'Archives a contact (DELETE never erases): it stays readable by id with `archivedAt` set and leaves lists unless `includeArchived=true`. A contact with portal access enabled or invited must be revoked first (422).',
  errors: ['CONTACT_NOT_FOUND', 'CONTACT_HAS_ACTIVE_ACCESS'],
  params: z.object({ contactId: idSchema }),
  result: contactSchema,
  http: {
    ...staff,
    method: 'DELETE',
    path: '/admin/contacts/:contactId',
    permission: 'directory:write',
    tag: 'Contacts',
    summary: 'Archive a contact',
  },
});

// ---- portal access ---------------------------------------------------------------------------

export const listPortalAccess = defineAction({
  description: "The Portal tab of an account: its contacts' names, e-mails and access status.",
  errors: ['ACCOUNT_NOT_FOUND'],
  params: pageParamsSchema.extend({ accountId: idSchema, search, status: accessStatusSchema.optional() }),
  result: pageOf(portalTabRowSchema),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/accounts/:accountId/portal',
    permission: 'directory:read',
    tag: 'Portal access',
    summary: 'Portal tab of an account',
  },
});
export const setAccessScope = defineAction({
  description: 'Sets which sites and projects a contact may see: all, or the selected ones of its account.',
  errors: ['CONTACT_NOT_FOUND', 'ARCHIVED', 'SCOPE_OUTSIDE_ACCOUNT'],
  params: z.object({ contactId: idSchema, scope: accessScopeSchema }),
  result: contactSchema,
  http: {
    ...staff,
    method: 'PUT',
    path: '/admin/contacts/:contactId/access-scope',
    permission: 'directory:write',
    tag: 'Portal access',
    summary: "Set a contact's access scope",
  },
});
export const requireMfa = defineAction({
  description:
    'Requires MFA for one contact, beyond what the account class says. Clearing it is clearMfaRequirement (settings:write).',
  errors: ['CONTACT_NOT_FOUND', 'ARCHIVED'],
  params: z.object({
    contactId: idSchema,
    mfaRequired: z.literal(true, { error: 'only true; clear the requirement with DELETE' }).default(true),
  }),
  result: contactSchema,
  http: {
    ...staff,
    method: 'PUT',
    path: '/admin/contacts/:contactId/mfa-required',
    permission: 'directory:write',
    tag: 'Portal access',
    summary: 'Require MFA for a contact',
  },
});
export const clearMfaRequirement = defineAction({
  description:
    "Clears the contact's own MFA requirement (unlike other DELETE routes this removes a setting, not a resource); the account class may still require MFA.",
  errors: ['CONTACT_NOT_FOUND', 'ARCHIVED'],
  params: z.object({ contactId: idSchema }),
  result: contactSchema,
  http: {
    ...staff,
    method: 'DELETE',
    path: '/admin/contacts/:contactId/mfa-required',
    permission: 'settings:write',
    tag: 'Portal access',
    summary: "Clear a contact's MFA requirement",
  },
});
export const listVisibleProjects = defineAction({
  description: 'What this contact would see in the portal: the projects the visibility rule lets through.',
  errors: ['CONTACT_NOT_FOUND'],
  params: pageParamsSchema.extend({ contactId: idSchema }),
  result: pageOf(projectSchema),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/contacts/:contactId/visible-projects',
    permission: 'directory:read',
    tag: 'Portal access',
    summary: 'Projects a contact would see',
  },
});
/** Internal: called by the identity service as it invites, enables, revokes and re-enables. */
export const applyAccessTransition = defineAction({
  description: "Moves a contact's portal access along its lifecycle; refuses transitions the lifecycle does not allow.",
  errors: [
    'CONTACT_NOT_FOUND',
    'ARCHIVED',
    'ACCESS_TRANSITION_NOT_ALLOWED',
    'CONTACT_EMAIL_REQUIRED',
    'PORTAL_LOGIN_TAKEN',
    'IDENTITY_USER_TAKEN',
    'INVITE_EXPIRED',
  ],
  params: z.object({
    contactId: idSchema,
    to: accessStatusSchema,
    identityUserId: text({ max: 100 }).nullable().optional(),
    inviteExpiresAt: boundedDateTime.nullable().optional(),
  }),
  result: contactSchema,
});
/** Internal: the visible scope for portal read paths of other services. */
export const resolveVisibleScope = defineAction({
  description: 'The accounts, sites and projects a contact may see, by the one visibility rule.',
  errors: ['CONTACT_NOT_FOUND'],
  params: z.object({ contactId: idSchema }),
  result: z.object({
    accessEnabled: z.boolean(),
    accountIds: z.array(z.uuid()),
    siteIds: z.array(z.uuid()),
    projectIds: z.array(z.uuid()),
    itemOwners: z
      .object({ accountIds: z.array(z.uuid()), siteIds: z.array(z.uuid()), projectIds: z.array(z.uuid()) })
      .describe(
        "The owners whose items (documents, requests) the contact sees: narrower than the navigable accounts and sites (a selected project never opens its site's items).",
      ),
  }),
});

/** Internal: whom to tell about something on a project (the notifications bell). */
export const listContactsSeeingProject = defineAction({
  description:
    "The contacts (access enabled) who see a project by the one visibility rule: its account's, and an account-level contact of a consolidated account it belongs to. An unknown project has none.",
  errors: [],
  params: z.object({ projectId: idSchema }),
  result: z.object({ contactIds: z.array(z.uuid()) }),
});

// ---- system options and invoice references ---------------------------------------------------

export const getSystemOptions = defineAction({
  description: 'Installation-wide portal options.',
  errors: [],
  params: z.object({}),
  result: systemOptionsSchema,
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/system-options',
    permission: 'directory:read',
    tag: 'System options',
    summary: 'Get system options',
  },
});
export const updateSystemOptions = defineAction({
  description: 'Changes installation-wide portal options.',
  errors: [],
  params: systemOptionsSchema.omit({ updatedAt: true }).partial(),
  result: systemOptionsSchema,
  http: {
    ...staff,
    method: 'PUT',
    path: '/admin/system-options',
    permission: 'settings:write',
    tag: 'System options',
    summary: 'Update system options',
  },
});
export const importInvoiceReferences = defineAction({
  description:
    'Loads invoice references used to verify self-registration; upserts by invoice number. Runs as a job (202); ' +
    'more items than the configured cap is a 413 IMPORT_TOO_LARGE.',
  errors: ['IMPORT_TOO_LARGE', 'IMPORT_LIMIT_REACHED'],
  params: z.object({ items: z.array(invoiceReferenceInputSchema).min(1) }),
  result: importJobSchema,
  http: {
    ...staff,
    method: 'POST',
    path: '/admin/invoice-references/import',
    permission: 'settings:write',
    successStatus: 202,
    tag: 'Invoice references',
    summary: 'Import invoice references',
  },
});
export const getInvoiceReferenceImport = defineAction({
  description: 'Progress and per-item errors of an invoice reference import (`line` is the 1-based item position).',
  errors: ['IMPORT_NOT_FOUND'],
  params: z.object({ importId: idSchema }),
  result: importJobSchema,
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/invoice-references/imports/:importId',
    permission: 'directory:read',
    tag: 'Invoice references',
    summary: 'Get an invoice reference import',
  },
});
export const listInvoiceReferences = defineAction({
  description: 'Invoice references by number.',
  errors: [],
  params: pageParamsSchema.extend({ accountId: idSchema.optional(), search }),
  result: pageOf(invoiceReferenceSchema),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/invoice-references',
    permission: 'directory:read',
    tag: 'Invoice references',
    summary: 'List invoice references',
  },
});

/**
 * Internal (no HTTP binding): identity's self-registration asks whether an invoice proves a claim.
 * Answers `matched: true` only when the invoice exists, the quick-pay code matches its stored hash
 * (or the account number matches its live account), the account's class allows self-registration
 * and the system option is on; the contact is the account's live contact with this e-mail, if any.
 * Never says which check failed.
 */
export const verifyInvoiceForRegistration = defineAction({
  description: 'Checks an invoice-verified self-registration claim (internal; identity calls it after answering).',
  errors: [],
  params: z
    .object({
      email: emailSchema,
      invoiceNumber: text({ max: 40 }),
      quickPayCode: text({ max: 40 }).optional(),
      accountNumber: text({ max: 40 }).optional(),
    })
    .refine((input) => (input.quickPayCode === undefined) !== (input.accountNumber === undefined), {
      message: 'give either quickPayCode or accountNumber',
      path: ['quickPayCode'],
    }),
  result: z.discriminatedUnion('matched', [
    z.object({ matched: z.literal(false) }),
    z.object({ matched: z.literal(true), accountId: z.uuid(), contactId: z.uuid().nullable() }),
  ]),
});

// ---- contacts CSV ----------------------------------------------------------------------------

export const startContactImport = defineAction({
  description:
    'Imports contacts from CSV (columns: account_number, site_code, first_name, last_name, email, phone, title). Runs as a job; idempotent by account and e-mail.',
  errors: ['CSV_INVALID', 'IMPORT_LIMIT_REACHED'],
  params: z.unknown(),
  result: contactImportSchema,
  http: {
    ...staff,
    method: 'POST',
    path: '/admin/contact-imports',
    permission: 'directory:write',
    successStatus: 202,
    body: 'csv',
    tag: 'Contacts',
    summary: 'Import contacts from CSV',
  },
});
export const getContactImport = defineAction({
  description: 'Progress and per-row errors of a contact import.',
  errors: ['IMPORT_NOT_FOUND'],
  params: z.object({ importId: idSchema }),
  result: contactImportSchema,
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/contact-imports/:importId',
    permission: 'directory:read',
    tag: 'Contacts',
    summary: 'Get a contact import',
  },
});
export const exportContacts = defineAction({
  description:
    'Contacts as CSV in the import format; all accounts, or one. Streamed: the result is a readable stream of CSV text.',
  errors: ['ACCOUNT_NOT_FOUND'],
  params: z.object({ accountId: idSchema.optional() }),
  result: z.unknown(),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/contacts/export',
    permission: 'directory:export',
    response: 'csv',
    tag: 'Contacts',
    summary: 'Export contacts as CSV',
  },
});

// ---- audit -----------------------------------------------------------------------------------

export const listContactAudit = defineAction({
  description: 'The audit trail of one contact, its access and scope, newest first.',
  errors: ['CONTACT_NOT_FOUND'],
  params: pageParamsSchema.extend({ contactId: idSchema }),
  result: pageOf(auditEntrySchema),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/contacts/:contactId/audit',
    permission: 'directory:read',
    tag: 'Audit',
    summary: 'Audit trail of a contact',
  },
});
export const listAccountAudit = defineAction({
  description: 'The audit trail of an account and everything in it, newest first.',
  errors: ['ACCOUNT_NOT_FOUND'],
  params: pageParamsSchema.extend({ accountId: idSchema }),
  result: pageOf(auditEntrySchema),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/accounts/:accountId/audit',
    permission: 'directory:read',
    tag: 'Audit',
    summary: 'Audit trail of an account',
  },
});

export const directoryActions = {
  'directory.listAccountClasses': listAccountClasses,
  'directory.createAccountClass': createAccountClass,
  'directory.getAccountClass': getAccountClass,
  'directory.updateAccountClass': updateAccountClass,
  'directory.deleteAccountClass': deleteAccountClass,
  'directory.listAccounts': listAccounts,
  'directory.createAccount': createAccount,
  'directory.getAccount': getAccount,
  'directory.updateAccount': updateAccount,
  'directory.setAccountClass': setAccountClass,
  'directory.archiveAccount': archiveAccount,
  'directory.listSites': listSites,
  'directory.createSite': createSite,
  'directory.getSite': getSite,
  'directory.updateSite': updateSite,
  'directory.archiveSite': archiveSite,
  'directory.listProjects': listProjects,
  'directory.createProject': createProject,
  'directory.getProject': getProject,
  'directory.updateProject': updateProject,
  'directory.archiveProject': archiveProject,
  'directory.listContacts': listContacts,
  'directory.createContact': createContact,
  'directory.getContact': getContact,
  'directory.updateContact': updateContact,
  'directory.archiveContact': archiveContact,
  'directory.listPortalAccess': listPortalAccess,
  'directory.setAccessScope': setAccessScope,
  'directory.requireMfa': requireMfa,
  'directory.clearMfaRequirement': clearMfaRequirement,
  'directory.listVisibleProjects': listVisibleProjects,
  'directory.applyAccessTransition': applyAccessTransition,
  'directory.resolveVisibleScope': resolveVisibleScope,
  'directory.listContactsSeeingProject': listContactsSeeingProject,
  'directory.getSystemOptions': getSystemOptions,
  'directory.updateSystemOptions': updateSystemOptions,
  'directory.importInvoiceReferences': importInvoiceReferences,
  'directory.getInvoiceReferenceImport': getInvoiceReferenceImport,
  'directory.listInvoiceReferences': listInvoiceReferences,
  'directory.verifyInvoiceForRegistration': verifyInvoiceForRegistration,
  'directory.startContactImport': startContactImport,
  'directory.getContactImport': getContactImport,
  'directory.exportContacts': exportContacts,
  'directory.listContactAudit': listContactAudit,
  'directory.listAccountAudit': listAccountAudit,
} as const;
