import { schemaResolver, type FormErrors } from '@mantine/form';
import { z } from 'zod';
import { withoutBlankFields } from './blank-fields.ts';

/**
 * Validates a form with a contract's own zod schema, on the values the API would get (blank
 * optional fields left out). The schema decides what is wrong; `wording` may say it in a person's
 * words per field (`{ email: 'Enter your e-mail address' }`), else the schema's message shows.
 */
export function contractResolver(schema: z.ZodType, wording: Record<string, string> = {}) {
  const resolve = schemaResolver(
    z.preprocess((values) => withoutBlankFields(values as Record<string, unknown>), schema),
    { sync: true },
  );
  return (values: Record<string, unknown>): FormErrors =>
    Object.fromEntries(Object.entries(resolve(values)).map(([path, message]) => [path, wording[path] ?? message]));
}
