import { z } from 'zod';
import { defineAction } from '../contract.ts';
import { idSchema, pageOf, pageParamsSchema } from '../http.ts';
import { searchText } from '../text.ts';
import { accessScopeSchema, accessStatusSchema, accountKindSchema } from './models.ts';

/** A project as a contact sees it: no staff flags (hidden, completed, archived). */
export const portalProjectSchema = z.object({
  id: z.uuid(),
  accountId: z.uuid(),
  siteId: z.uuid().nullable(),
  code: z.string(),
  name: z.string(),
});

export const listPortalProjects = defineAction({
  description:
    'The projects the signed-in contact may see, by the one visibility rule. `accountId` narrows to one of the accounts it reaches; any other id answers 404.',
  errors: ['ACCOUNT_NOT_FOUND'],
  params: pageParamsSchema.extend({ search: searchText.optional(), accountId: idSchema.optional() }),
  result: pageOf(portalProjectSchema),
  http: {
    audience: 'portal',
    method: 'GET',
    path: '/portal/projects',
    tag: 'Portal',
    summary: 'My projects',
  },
});

/** Internal: who a portal token's subject is, for the gateway (cached there, invalidated by events). */
export const resolvePortalPrincipal = defineAction({
  description: 'The contact linked to a portal login, with its access status; 404 when none is.',
  errors: ['CONTACT_NOT_FOUND'],
  params: z.object({ identityUserId: z.string().min(1).max(100) }),
  result: z.object({
    contactId: z.uuid(),
    accountId: z.uuid(),
    accessStatus: accessStatusSchema,
    accessEnabled: z
      .boolean()
      .describe(
        "The visibility rule's gate (`portal_access_enabled`): access `enabled`, and the contact and its account not archived. Only then may the login use the portal.",
      ),
  }),
});

/**
 * Plain (non-durable) broadcasts that tell every gateway replica to drop cached portal principals
 * (DESIGN rule 3: `broker.broadcast` is for cache invalidation only). Losing one costs at most the
 * gateway's principal cache lifetime; revocation itself travels through the revocation list.
 */
export const portalPrincipalsChangedEvent = 'cache.portal-principals.changed';
export const portalPrincipalsChangedSchema = z.object({
  /** Portal logins (Keycloak user ids) whose link to a contact changed. */
  identityUserIds: z.array(z.string().min(1)).default([]),
  /** Contacts whose access, e-mail, scope or archive state changed. */
  contactIds: z.array(z.uuid()).default([]),
  /** Accounts archived or restored: every principal of the account. */
  accountIds: z.array(z.uuid()).default([]),
});
export type PortalPrincipalsChanged = z.input<typeof portalPrincipalsChangedSchema>;

/** The signed-in contact as `/portal/me` shows it. */
export const portalContactSchema = z.object({
  id: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  siteId: z.uuid().nullable(),
});

/** The accounts a contact reaches: its own, and the members of a consolidated one. */
export const portalAccountsSchema = z
  .array(z.object({ id: z.uuid(), number: z.string(), name: z.string(), kind: accountKindSchema }))
  .describe('The accounts this contact reaches: its own, and the members of a consolidated one.');

/** Internal: what `/portal/me` shows of the directory (the identity service adds the MFA state). */
export const getPortalProfileFacts = defineAction({
  description: "A contact's portal facts: name, e-mail, the accounts it reaches, its scope and MFA requirement.",
  errors: ['CONTACT_NOT_FOUND'],
  params: z.object({ contactId: idSchema }),
  result: z.object({
    contact: portalContactSchema,
    accounts: portalAccountsSchema,
    scope: accessScopeSchema,
    mfaRequired: z.boolean().describe("The contact's own requirement or its account class's."),
  }),
});

/**
 * Internal: names of accounts, sites and projects by id, for other services' portal answers
 * ("where is this document"). Callers pass ids they already know the contact may see; unknown
 * ids are left out.
 */
export const describeOwners = defineAction({
  description: 'The number or code and the name of accounts, sites and projects, by id.',
  errors: [],
  params: z.object({
    accountIds: z.array(idSchema).max(200).default([]),
    siteIds: z.array(idSchema).max(200).default([]),
    projectIds: z.array(idSchema).max(200).default([]),
  }),
  result: z.array(
    z.object({ kind: z.enum(['account', 'site', 'project']), id: z.uuid(), code: z.string(), name: z.string() }),
  ),
});

export const directoryPortalActions = {
  'directory.describeOwners': describeOwners,
  'directory.listPortalProjects': listPortalProjects,
  'directory.resolvePortalPrincipal': resolvePortalPrincipal,
  'directory.getPortalProfileFacts': getPortalProfileFacts,
} as const;
