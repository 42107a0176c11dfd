import type { DomainError } from '@portal/kit';
import { directoryError } from '../errors.ts';

/**
 * The database constraints a caller can run into, as the errors they mean. The constraint is the
 * authority (no check-then-insert race); this is the one place its name becomes a stable code.
 */
export const constraintErrors: Record<string, () => DomainError> = {
  account_class_name_key: () => directoryError('ACCOUNT_CLASS_NAME_TAKEN'),
  account_number_key: () => directoryError('ACCOUNT_NUMBER_TAKEN'),
  site_code_key: () => directoryError('SITE_CODE_TAKEN'),
  project_code_key: () => directoryError('PROJECT_CODE_TAKEN'),
  contact_email_key: () => directoryError('CONTACT_EMAIL_TAKEN'),
  contact_portal_login_key: () => directoryError('PORTAL_LOGIN_TAKEN'),
  contact_identity_user_key: () => directoryError('IDENTITY_USER_TAKEN'),
  account_class_id_fkey: () => directoryError('ACCOUNT_CLASS_IN_USE'),
  contact_access_needs_email: () => directoryError('CONTACT_EMAIL_REQUIRED'),
  account_only_customers_consolidate: () =>
    directoryError('CONSOLIDATED_ACCOUNT_INVALID', {
      message: 'Only a customer account can belong to a consolidated account.',
    }),
};

/** The domain error for a violated constraint we know, or the original error unchanged. */
export function translateConstraintError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const constraint = (error as { constraint?: unknown }).constraint;
  const known = typeof constraint === 'string' ? constraintErrors[constraint] : undefined;
  return known ? known() : error;
}
