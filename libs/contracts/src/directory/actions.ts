import { z } from 'zod';
import { defineAction } from '../contract.ts';
import { idSchema, pageOf, pageParamsSchema, queryBoolean } from '../http.ts';
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

const search = z.string().trim().min(1).max(100).optional();
const includeArchived = queryBoolean.default(false);
const staff = { audience: 'staff' } as const;

// ---- account classes -------------------------------------------------------------------------

export const listAccountClasses = defineAction({
  description: 'Account classes, by name.',
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
  description: 'Deletes an account class that no account uses (409 otherwise).',
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
  // Strict: a classId (or any unknown field) is a 400, not silently dropped.
  params: accountUpdateSchema.extend({ accountId: idSchema }).strict(),
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
  description: 'Archives an account: kept for history, hidden from lists, nothing of it visible in the portal.',
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
  description: 'Archives a site.',
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
  description: 'Archives a project.',
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
  description: 'Archives a contact; a contact with portal access enabled or invited must be revoked first (422).',
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
  description: "Clears the contact's own MFA requirement; the account class may still require MFA.",
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
  params: z.object({
    contactId: idSchema,
    to: accessStatusSchema,
    identityUserId: z.string().min(1).nullable().optional(),
    inviteExpiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  }),
  result: contactSchema,
});
/** Internal: the visible scope for portal read paths of other services. */
export const resolveVisibleScope = defineAction({
  description: 'The accounts, sites and projects a contact may see, by the one visibility rule.',
  params: z.object({ contactId: idSchema }),
  result: z.object({
    accessEnabled: z.boolean(),
    accountIds: z.array(z.uuid()),
    siteIds: z.array(z.uuid()),
    projectIds: z.array(z.uuid()),
  }),
});

// ---- system options and invoice references ---------------------------------------------------

export const getSystemOptions = defineAction({
  description: 'Installation-wide portal options.',
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

// ---- contacts CSV ----------------------------------------------------------------------------

export const startContactImport = defineAction({
  description:
    'Imports contacts from CSV (columns: account_number, site_code, first_name, last_name, email, phone, title). Runs as a job; idempotent by account and e-mail.',
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
  'directory.getSystemOptions': getSystemOptions,
  'directory.updateSystemOptions': updateSystemOptions,
  'directory.importInvoiceReferences': importInvoiceReferences,
  'directory.getInvoiceReferenceImport': getInvoiceReferenceImport,
  'directory.listInvoiceReferences': listInvoiceReferences,
  'directory.startContactImport': startContactImport,
  'directory.getContactImport': getContactImport,
  'directory.exportContacts': exportContacts,
  'directory.listContactAudit': listContactAudit,
  'directory.listAccountAudit': listAccountAudit,
} as const;
