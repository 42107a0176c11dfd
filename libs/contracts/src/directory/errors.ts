import { defineErrorTable } from '../errors.ts';

/** Every stable error code of the directory service, with its kind and default message. */
export const directoryErrors = defineErrorTable({
  ACCOUNT_NOT_FOUND: { kind: 'not_found', message: 'No such account.' },
  ACCOUNT_CLASS_NOT_FOUND: { kind: 'not_found', message: 'No such account class.' },
  SITE_NOT_FOUND: { kind: 'not_found', message: 'No such site.' },
  PROJECT_NOT_FOUND: { kind: 'not_found', message: 'No such project.' },
  CONTACT_NOT_FOUND: { kind: 'not_found', message: 'No such contact.' },
  IMPORT_NOT_FOUND: { kind: 'not_found', message: 'No import with this id.' },
  ACCOUNT_NUMBER_TAKEN: { kind: 'conflict', message: 'An account with this number exists.' },
  ACCOUNT_CLASS_NAME_TAKEN: { kind: 'conflict', message: 'An account class with this name exists.' },
  ACCOUNT_CLASS_IN_USE: { kind: 'conflict', message: 'Accounts still use this account class.' },
  SITE_CODE_TAKEN: { kind: 'conflict', message: 'This account already has a site with this code.' },
  PROJECT_CODE_TAKEN: { kind: 'conflict', message: 'This account already has a project with this code.' },
  CONTACT_EMAIL_TAKEN: { kind: 'conflict', message: 'This account already has a contact with this e-mail.' },
  PORTAL_LOGIN_TAKEN: { kind: 'conflict', message: 'Another contact already holds portal access with this e-mail.' },
  IDENTITY_USER_TAKEN: { kind: 'conflict', message: 'Another contact is already linked to this login.' },
  INVOICE_ACCOUNT_UNKNOWN: { kind: 'rule_violation', message: 'Some invoices name accounts that do not exist.' },
  CONSOLIDATED_ACCOUNT_INVALID: {
    kind: 'rule_violation',
    message: 'Only a customer account can belong to a consolidated account.',
  },
  SITE_NOT_IN_ACCOUNT: { kind: 'rule_violation', message: 'The site belongs to another account.' },
  SCOPE_OUTSIDE_ACCOUNT: {
    kind: 'rule_violation',
    message: "The scope names sites or projects outside the contact's account.",
  },
  ACCESS_TRANSITION_NOT_ALLOWED: { kind: 'rule_violation', message: 'Portal access cannot make this change.' },
  INVITE_EXPIRED: { kind: 'rule_violation', message: 'The invitation has expired; send a new one.' },
  CONTACT_EMAIL_REQUIRED: { kind: 'rule_violation', message: 'A contact with portal access needs an e-mail address.' },
  CONTACT_HAS_ACTIVE_ACCESS: {
    kind: 'rule_violation',
    message: "Revoke the contact's portal access before archiving it.",
  },
  ARCHIVED: { kind: 'rule_violation', message: 'The record is archived.' },
  CSV_INVALID: { kind: 'bad_request', message: 'The CSV could not be read.' },
  IMPORT_TOO_LARGE: { kind: 'payload_too_large', message: 'The import has more rows than allowed.' },
  IMPORT_LIMIT_REACHED: {
    kind: 'rate_limited',
    message: 'Too many imports are running; try again when one has finished.',
  },
});
export type DirectoryErrorCode = keyof typeof directoryErrors;
