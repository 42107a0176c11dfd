import type { UseFormReturnType } from '@mantine/form';
import { ApiError } from '../api/api-error.ts';

/**
 * Puts a failed save's field problems beside the fields (400 details, or a conflict code the
 * caller maps to a field); answers whether anything was placed, so the rest shows as a notice.
 */
export function showServerErrors<Values extends Record<string, unknown>>(
  form: UseFormReturnType<Values>,
  error: unknown,
  fieldOfCode: Record<string, string> = {},
): boolean {
  if (!(error instanceof ApiError)) return false;
  const byCode = fieldOfCode[error.code];
  if (byCode) {
    form.setFieldError(byCode, error.message);
    return true;
  }
  const fields = error.fieldErrors();
  const known = Object.entries(fields).filter(([path]) => path.split('.')[0]! in form.getValues());
  for (const [path, message] of known) form.setFieldError(path, message);
  return known.length > 0;
}
