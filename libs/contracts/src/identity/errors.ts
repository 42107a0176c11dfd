import { defineErrorTable } from '../errors.ts';

/** Every stable error code of the identity service, with its kind and default message. */
export const identityErrors = defineErrorTable({
  ACCESS_EMAIL_REQUIRED: {
    kind: 'rule_violation',
    message: 'A contact needs a valid e-mail address to get portal access.',
  },
  ACCESS_NOT_ALLOWED: { kind: 'rule_violation', message: "This change does not fit the contact's portal access now." },
  PASSWORD_POLICY_VIOLATION: { kind: 'rule_violation', message: 'The password does not meet the password policy.' },
  INVITATION_NOT_PENDING: { kind: 'rule_violation', message: 'The contact has no pending invitation.' },
  ACCESS_REQUEST_NOT_FOUND: { kind: 'not_found', message: 'No such access request.' },
  ACCESS_REQUEST_DECIDED: { kind: 'conflict', message: 'The access request has already been decided.' },
  ACCESS_REQUESTS_DISABLED: { kind: 'forbidden', message: 'Requesting access is not enabled for this portal.' },
  ACCESS_REQUEST_CONTACT_MISMATCH: {
    kind: 'rule_violation',
    message: 'The chosen contact does not belong to the chosen account.',
  },
  REGISTRATION_RATE_LIMITED: { kind: 'rate_limited', message: 'Too many attempts; try again later.' },
});
export type IdentityErrorCode = keyof typeof identityErrors;
