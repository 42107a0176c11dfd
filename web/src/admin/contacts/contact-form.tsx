import { Select, SimpleGrid, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { schemaResolver, type FormErrors } from '@mantine/form';
import { z } from 'zod';
import type { Contact, Site } from '@portal/contracts';

/** What the contact form holds: text inputs hold strings; no site is `null`. */
export type ContactFormValues = {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  title: string;
  siteId: string | null;
};

export const blankContactForm: ContactFormValues = {
  firstName: '',
  lastName: '',
  email: '',
  phone: '',
  title: '',
  siteId: null,
};

export function formValuesOf(contact: Contact): ContactFormValues {
  return {
    firstName: contact.firstName,
    lastName: contact.lastName,
    email: contact.email ?? '',
    phone: contact.phone ?? '',
    title: contact.title ?? '',
    siteId: contact.siteId,
  };
}

const optionalText = ['email', 'phone', 'title'] as const;

/** A blank optional field means "none": the API gets `null` (which also clears it on update). */
export function blanksAsNull(values: unknown): unknown {
  if (typeof values !== 'object' || values === null) return values;
  const copy: Record<string, unknown> = { ...values };
  for (const key of optionalText) {
    if (typeof copy[key] === 'string' && copy[key].trim() === '') copy[key] = null;
  }
  return copy;
}

const wording: Record<string, string> = {
  firstName: 'Enter a first name.',
  lastName: 'Enter a last name.',
  email: 'Enter a valid e-mail address, or leave it empty.',
};

/**
 * Validates the form with the contract's own schema (create or update), on the values the API
 * gets; required names and the e-mail get a person's wording, other messages are the schema's.
 */
export function contactResolver(schema: z.ZodType) {
  const resolve = schemaResolver(z.preprocess(blanksAsNull, schema), { sync: true });
  const blank = (values: ContactFormValues, path: string) =>
    path === 'email' || String(values[path as keyof ContactFormValues] ?? '').trim() === '';
  return (values: ContactFormValues): FormErrors =>
    Object.fromEntries(
      Object.entries(resolve(values)).map(([path, message]) => [
        path,
        wording[path] && blank(values, path) ? wording[path] : message,
      ]),
    );
}

export function siteOptionsOf(sites: readonly Site[]) {
  return sites.map((site) => ({ value: site.id, label: `${site.code} · ${site.name}` }));
}

/** The contact's fields, for the "New contact" dialog and the Details tab alike. */
export function ContactFields({
  form,
  sites,
  sitesLoading,
  readOnly = false,
  autoFocus = false,
}: {
  form: UseFormReturnType<ContactFormValues>;
  sites: readonly Site[];
  sitesLoading: boolean;
  readOnly?: boolean;
  autoFocus?: boolean;
}) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
      <TextInput
        label="First name"
        required
        readOnly={readOnly}
        data-autofocus={autoFocus || undefined}
        {...form.getInputProps('firstName')}
      />
      <TextInput label="Last name" required readOnly={readOnly} {...form.getInputProps('lastName')} />
      <TextInput
        label="E-mail"
        type="email"
        autoComplete="off"
        description="Needed for portal access; it becomes the portal login."
        readOnly={readOnly}
        {...form.getInputProps('email')}
      />
      <TextInput label="Phone" type="tel" readOnly={readOnly} {...form.getInputProps('phone')} />
      <TextInput label="Title" readOnly={readOnly} {...form.getInputProps('title')} />
      <Select
        label="Site"
        description="Empty: the contact belongs to the whole account. A site's contact sees only that site."
        placeholder={sitesLoading ? 'Loading sites…' : 'Whole account (no site)'}
        data={siteOptionsOf(sites)}
        clearable
        searchable
        nothingFoundMessage="No site matches"
        readOnly={readOnly}
        {...form.getInputProps('siteId')}
      />
    </SimpleGrid>
  );
}
