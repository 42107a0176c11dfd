/**
 * A form's values as the API should get them: text inputs always hold a string, but an optional
 * field left blank means "not given", so blank (or white-space only) strings are left out.
 */
export function withoutBlankFields<Values extends Record<string, unknown>>(values: Values): Partial<Values> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => !(typeof value === 'string' && value.trim() === '')),
  ) as Partial<Values>;
}
