import { directoryErrorCodes as codes } from '@portal/contracts';
import { conflict, ruleViolation, type DomainError } from '@portal/kit';

/**
 * The database constraints a caller can run into, as the errors they mean. The constraint is the
 * authority (no check-then-insert race); this is the one place its name becomes a stable code.
 */
const constraintErrors: Record<string, () => DomainError> = {
  account_class_name_key: () => conflict(codes.accountClassNameTaken, 'An account class with this name exists.'),
  account_number_key: () => conflict(codes.accountNumberTaken, 'An account with this number exists.'),
  site_code_key: () => conflict(codes.siteCodeTaken, 'This account already has a site with this code.'),
  project_code_key: () => conflict(codes.projectCodeTaken, 'This account already has a project with this code.'),
  contact_email_key: () => conflict(codes.contactEmailTaken, 'This account already has a contact with this e-mail.'),
  contact_portal_login_key: () =>
    conflict(codes.portalLoginTaken, 'Another contact already holds portal access with this e-mail.'),
  account_class_id_fkey: () => conflict(codes.accountClassInUse, 'Accounts still use this account class.'),
  contact_access_needs_email: () =>
    ruleViolation(codes.contactEmailRequired, 'A contact with portal access needs an e-mail address.'),
  account_only_customers_consolidate: () =>
    ruleViolation(codes.consolidatedAccountInvalid, 'Only a customer account can belong to a consolidated account.'),
};

/** The domain error for a violated constraint we know, or the original error unchanged. */
export function translateConstraintError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const constraint = (error as { constraint?: unknown }).constraint;
  const known = typeof constraint === 'string' ? constraintErrors[constraint] : undefined;
  return known ? known() : error;
}
