import { z } from 'zod';
import { defineAction } from '../contract.ts';
import { contactSchema, accessScopeSchema } from '../directory/models.ts';
import { portalAccountsSchema, portalContactSchema } from '../directory/portal-actions.ts';
import { idSchema, pageOf, pageParamsSchema, staffRoles } from '../http.ts';
import { text } from '../text.ts';
import {
  accessRequestInputSchema,
  accessRequestSchema,
  accessRequestStatuses,
  generatedPasswordSchema,
  invitationSchema,
  invitationStatuses,
  publicFormReceiptSchema,
  selfRegistrationInputSchema,
} from './models.ts';

const staff = { audience: 'staff' } as const;
const contactAccess = (suffix: string) => `/admin/contacts/:contactId/access${suffix}`;
const contactParams = z.object({ contactId: idSchema });

// ---- the access lifecycle, by staff --------------------------------------------------------------

export const enableAccess = defineAction({
  description:
    'Gives a contact portal access now: creates (or enables) its login with a generated password that satisfies the policy. ' +
    'The password is in this answer only; the portal keeps no copy.',
  errors: [
    'ACCESS_EMAIL_REQUIRED',
    'ACCESS_NOT_ALLOWED',
    'CONTACT_NOT_FOUND',
    'PORTAL_LOGIN_TAKEN',
    'IDENTITY_USER_TAKEN',
  ],
  params: contactParams.extend({
    temporary: z.boolean().default(false).describe('The contact must choose a new password at the first login.'),
  }),
  result: z.object({ contact: contactSchema, credentials: generatedPasswordSchema }),
  http: {
    ...staff,
    method: 'POST',
    path: contactAccess('/enable'),
    permission: 'access:write',
    tag: 'Portal access',
    summary: 'Enable portal access with a generated password',
  },
});
export const inviteContact = defineAction({
  description:
    'Sends the contact an invitation e-mail whose link sets a password (and sets up TOTP when MFA is required). ' +
    'The invitation expires; an expired one returns the contact to `none`.',
  errors: [
    'ACCESS_EMAIL_REQUIRED',
    'ACCESS_NOT_ALLOWED',
    'CONTACT_NOT_FOUND',
    'PORTAL_LOGIN_TAKEN',
    'IDENTITY_USER_TAKEN',
  ],
  params: contactParams.extend({
    lifespanHours: z.int().min(1).max(720).default(72).describe('How long the link works.'),
  }),
  result: invitationSchema,
  http: {
    ...staff,
    method: 'POST',
    path: contactAccess('/invitation'),
    permission: 'access:write',
    successStatus: 201,
    tag: 'Portal access',
    summary: 'Invite a contact to the portal',
  },
});
export const resendInvitation = defineAction({
  description: 'Sends the pending invitation again with a fresh link and lifespan.',
  errors: ['INVITATION_NOT_PENDING', 'ACCESS_NOT_ALLOWED', 'CONTACT_NOT_FOUND'],
  params: contactParams.extend({ lifespanHours: z.int().min(1).max(720).default(72) }),
  result: invitationSchema,
  http: {
    ...staff,
    method: 'POST',
    path: contactAccess('/invitation/resend'),
    permission: 'access:write',
    tag: 'Portal access',
    summary: 'Resend an invitation',
  },
});
export const cancelInvitation = defineAction({
  description:
    'Cancels the pending invitation (unlike other DELETE routes this removes an invitation, not a resource kept for history); the contact returns to `none`.',
  errors: ['INVITATION_NOT_PENDING', 'CONTACT_NOT_FOUND'],
  params: contactParams,
  result: contactSchema,
  http: {
    ...staff,
    method: 'DELETE',
    path: contactAccess('/invitation'),
    permission: 'access:write',
    tag: 'Portal access',
    summary: 'Cancel an invitation',
  },
});
export const listInvitations = defineAction({
  description: 'Invitations across accounts, newest first: who invited whom, when, and when it expires.',
  params: pageParamsSchema.extend({
    status: z.enum(invitationStatuses).default('pending'),
    accountId: idSchema.optional(),
  }),
  result: pageOf(invitationSchema),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/invitations',
    permission: 'directory:read',
    tag: 'Portal access',
    summary: 'List invitations',
  },
});
export const resetPassword = defineAction({
  description:
    'Resets the contact’s password: a new generated one (in this answer only), or an e-mail whose link sets one.',
  errors: ['ACCESS_NOT_ALLOWED', 'CONTACT_NOT_FOUND'],
  params: contactParams.extend({
    delivery: z.enum(['generated', 'email']),
    temporary: z.boolean().default(false),
  }),
  result: z.object({ credentials: generatedPasswordSchema.nullable() }),
  http: {
    ...staff,
    method: 'POST',
    path: contactAccess('/password-reset'),
    permission: 'access:write',
    tag: 'Portal access',
    summary: 'Reset a contact’s password',
  },
});
export const setPassword = defineAction({
  description: 'Sets a password chosen by staff; refused with the rule it breaks when it does not meet the policy.',
  errors: ['ACCESS_NOT_ALLOWED', 'PASSWORD_POLICY_VIOLATION', 'CONTACT_NOT_FOUND'],
  params: contactParams.extend({
    password: text({ max: 200, trim: false }),
    temporary: z.boolean().default(true),
  }),
  result: z.object({ contactId: z.uuid(), temporary: z.boolean() }),
  http: {
    ...staff,
    method: 'PUT',
    path: contactAccess('/password'),
    permission: 'access:write',
    tag: 'Portal access',
    summary: 'Set a contact’s password',
  },
});
export const resetMfa = defineAction({
  description: 'Removes the contact’s TOTP credentials, so the next login asks to set up MFA again.',
  errors: ['ACCESS_NOT_ALLOWED', 'CONTACT_NOT_FOUND'],
  params: contactParams,
  result: contactSchema,
  http: {
    ...staff,
    method: 'POST',
    path: contactAccess('/mfa-reset'),
    permission: 'access:write',
    tag: 'Portal access',
    summary: 'Reset a contact’s MFA',
  },
});
export const revokeAccess = defineAction({
  description:
    'Revokes portal access: disables the login, ends its sessions, and every gateway refuses its already-issued tokens within seconds.',
  errors: ['ACCESS_NOT_ALLOWED', 'CONTACT_NOT_FOUND'],
  params: contactParams,
  result: contactSchema,
  http: {
    ...staff,
    method: 'POST',
    path: contactAccess('/revoke'),
    permission: 'access:write',
    tag: 'Portal access',
    summary: 'Revoke portal access',
  },
});
export const reenableAccess = defineAction({
  description: 'Restores revoked portal access: the login works again with its existing password.',
  errors: ['ACCESS_NOT_ALLOWED', 'ACCESS_EMAIL_REQUIRED', 'CONTACT_NOT_FOUND'],
  params: contactParams,
  result: contactSchema,
  http: {
    ...staff,
    method: 'POST',
    path: contactAccess('/reenable'),
    permission: 'access:write',
    tag: 'Portal access',
    summary: 'Re-enable portal access',
  },
});

// ---- access requests and self-registration ----------------------------------------------------

export const listAccessRequests = defineAction({
  description: 'The "Request access" queue, oldest pending first.',
  params: pageParamsSchema.extend({ status: z.enum(accessRequestStatuses).default('pending') }),
  result: pageOf(accessRequestSchema),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/access-requests',
    permission: 'directory:read',
    tag: 'Access requests',
    summary: 'List access requests',
  },
});
export const approveAccessRequest = defineAction({
  description:
    'Approves a request: links it to an existing contact of the account (by `contactId`) or creates one ' +
    '(at account level, or at `siteId`; name and e-mail from the request), then invites it. ' +
    'A contact e-mail already in the account is a 409 CONTACT_EMAIL_TAKEN: approve again with that `contactId`.',
  errors: [
    'ACCESS_REQUEST_NOT_FOUND',
    'ACCESS_REQUEST_DECIDED',
    'ACCESS_REQUEST_CONTACT_MISMATCH',
    'ACCESS_NOT_ALLOWED',
    'ACCESS_EMAIL_REQUIRED',
    'ACCOUNT_NOT_FOUND',
    'CONTACT_NOT_FOUND',
    'ARCHIVED',
    'SITE_NOT_IN_ACCOUNT',
    'CONTACT_EMAIL_TAKEN',
  ],
  params: z.object({
    requestId: idSchema,
    accountId: idSchema,
    contactId: idSchema.optional(),
    siteId: idSchema.nullable().optional(),
  }),
  result: z.object({ request: accessRequestSchema, invitation: invitationSchema }),
  http: {
    ...staff,
    method: 'POST',
    path: '/admin/access-requests/:requestId/approve',
    permission: 'access:write',
    tag: 'Access requests',
    summary: 'Approve an access request',
  },
});
export const rejectAccessRequest = defineAction({
  description: 'Rejects a request; the requester gets a polite e-mail.',
  errors: ['ACCESS_REQUEST_NOT_FOUND', 'ACCESS_REQUEST_DECIDED'],
  params: z.object({ requestId: idSchema, reason: text({ max: 1000, multiline: true }).optional() }),
  result: accessRequestSchema,
  http: {
    ...staff,
    method: 'POST',
    path: '/admin/access-requests/:requestId/reject',
    permission: 'access:write',
    tag: 'Access requests',
    summary: 'Reject an access request',
  },
});
export const requestAccess = defineAction({
  description:
    'The login page\'s "Request access" form: queues the request for staff (one pending request per e-mail; ' +
    'a repeat gets the same answer). Refused while the system option `requestLoginButton` is off. ' +
    'Limited per client address (429 with `Retry-After`).',
  errors: ['ACCESS_REQUESTS_DISABLED', 'REGISTRATION_RATE_LIMITED', 'DEPENDENCY_UNAVAILABLE'],
  params: accessRequestInputSchema,
  result: publicFormReceiptSchema,
  http: {
    audience: 'public',
    method: 'POST',
    path: '/public/access-requests',
    successStatus: 202,
    tag: 'Self-service',
    summary: 'Request portal access',
  },
});
export const registerWithInvoice = defineAction({
  description:
    'Invoice-verified self-registration: when the invoice matches (its quick-pay code, or its account number), the ' +
    "account class allows it and the system option `selfRegistration` is on, the contact (the account's contact with " +
    'this e-mail, or a new account-level one) gets an invitation e-mail. The answer, its status and its timing are ' +
    'the same whatever the outcome: the check runs after the answer. Attempts are limited per client address and ' +
    'per invoice number (429 with `Retry-After`).',
  errors: ['REGISTRATION_RATE_LIMITED'],
  params: selfRegistrationInputSchema,
  result: publicFormReceiptSchema,
  http: {
    audience: 'public',
    method: 'POST',
    path: '/public/self-registrations',
    successStatus: 202,
    tag: 'Self-service',
    summary: 'Register with an invoice',
  },
});

// ---- the portal: who am I ----------------------------------------------------------------------

export const portalProfileSchema = z.object({
  contact: portalContactSchema,
  accounts: portalAccountsSchema,
  scope: accessScopeSchema,
  mfa: z.object({ required: z.boolean(), configured: z.boolean() }),
});

export const getPortalProfile = defineAction({
  description: 'The signed-in contact: its accounts, its scope and its MFA state.',
  params: z.object({}),
  result: portalProfileSchema,
  http: {
    audience: 'portal',
    method: 'GET',
    path: '/portal/me',
    tag: 'Portal',
    summary: 'Who am I',
  },
});

/** Internal (no HTTP binding): the staff users the bell and e-mails of staff-facing events go to. */
export const listStaffRecipients = defineAction({
  description:
    'Enabled users of realm `staff` holding one of the given realm roles (directly, by a group or a composite role), by e-mail; read from Keycloak and kept for about a minute.',
  errors: [],
  params: z.object({
    roles: z.array(z.enum(staffRoles)).min(1).default(['portal-admin', 'portal-manager']),
  }),
  result: z.array(z.object({ userId: z.string().min(1), email: z.string().nullable(), name: z.string().nullable() })),
});

export const identityActions = {
  'identity.enableAccess': enableAccess,
  'identity.inviteContact': inviteContact,
  'identity.resendInvitation': resendInvitation,
  'identity.cancelInvitation': cancelInvitation,
  'identity.listInvitations': listInvitations,
  'identity.resetPassword': resetPassword,
  'identity.setPassword': setPassword,
  'identity.resetMfa': resetMfa,
  'identity.revokeAccess': revokeAccess,
  'identity.reenableAccess': reenableAccess,
  'identity.listAccessRequests': listAccessRequests,
  'identity.approveAccessRequest': approveAccessRequest,
  'identity.rejectAccessRequest': rejectAccessRequest,
  'identity.requestAccess': requestAccess,
  'identity.registerWithInvoice': registerWithInvoice,
  'identity.getPortalProfile': getPortalProfile,
  'identity.listStaffRecipients': listStaffRecipients,
} as const;
