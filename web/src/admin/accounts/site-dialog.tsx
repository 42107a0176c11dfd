import { Button, Group, Modal, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useState } from 'react';
import { siteCreateSchema, siteUpdateSchema, type Site } from '@portal/contracts';
import { useActionMutation } from '../../shared/api/queries.ts';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { showServerErrors } from '../../shared/forms/server-errors.ts';

/** What a site change refreshes: the account's sites (lists and single) and its trail. */
export const siteChangeInvalidates = [
  'directory.listSites',
  'directory.getSite',
  'directory.listAccountAudit',
] as const;

const addressFields = ['line1', 'line2', 'postalCode', 'city', 'country'] as const;
type AddressField = (typeof addressFields)[number];

type SiteFormValues = {
  code: string;
  name: string;
  address: Record<AddressField, string>;
};

/** The form's values as the contract has them: an empty address line is no line (null). */
function siteInputOf(values: SiteFormValues) {
  const address = Object.fromEntries(
    addressFields.map((field) => {
      const value = values.address[field].trim();
      return [field, value === '' ? null : field === 'country' ? value.toUpperCase() : value];
    }),
  ) as Record<AddressField, string | null>;
  return { code: values.code, name: values.name, address };
}

const validateCreate = schemaResolver(siteCreateSchema, { sync: true });
const validateUpdate = schemaResolver(siteUpdateSchema, { sync: true });

/** Adds a site to an account, or changes one (`site` given). */
export function SiteDialog({ accountId, site, onClose }: { accountId: string; site?: Site; onClose: () => void }) {
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<SiteFormValues>({
    mode: 'controlled',
    initialValues: {
      code: site?.code ?? '',
      name: site?.name ?? '',
      address: Object.fromEntries(addressFields.map((field) => [field, site?.address[field] ?? ''])) as Record<
        AddressField,
        string
      >,
    },
    // The same schemas as the server, applied to what will be sent.
    validate: (values) => (site ? validateUpdate : validateCreate)(siteInputOf(values)),
  });
  const onError = (error: unknown) =>
    setFailure(showServerErrors(form, error, { SITE_CODE_TAKEN: 'code' }) ? null : error);
  const create = useActionMutation('directory.createSite', {
    invalidates: siteChangeInvalidates,
    onSuccess: (saved) => {
      notifySaved(`Site ${saved.code} added`);
      onClose();
    },
    onError,
  });
  const update = useActionMutation('directory.updateSite', {
    invalidates: [...siteChangeInvalidates, 'directory.listProjects'],
    onSuccess: (saved) => {
      notifySaved(`Site ${saved.code} saved`);
      onClose();
    },
    onError,
  });
  return (
    <Modal opened onClose={onClose} title={site ? `Edit site ${site.code}` : 'New site'} centered size="lg">
      <form
        onSubmit={form.onSubmit((values) => {
          setFailure(null);
          const input = siteInputOf(values);
          if (site) update.mutate({ siteId: site.id, ...input });
          else create.mutate({ accountId, ...input });
        })}
        noValidate
      >
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <TextInput label="Site code" required data-autofocus {...form.getInputProps('code')} />
            <TextInput label="Name" required {...form.getInputProps('name')} />
          </SimpleGrid>
          <TextInput label="Address line 1" autoComplete="address-line1" {...form.getInputProps('address.line1')} />
          <TextInput label="Address line 2" autoComplete="address-line2" {...form.getInputProps('address.line2')} />
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
            <TextInput label="Postal code" autoComplete="postal-code" {...form.getInputProps('address.postalCode')} />
            <TextInput label="City" autoComplete="address-level2" {...form.getInputProps('address.city')} />
            <TextInput
              label="Country"
              description="Two letters, e.g. DE"
              maxLength={2}
              autoComplete="country"
              {...form.getInputProps('address.country')}
            />
          </SimpleGrid>
          {failure ? <ErrorNotice error={failure} title="The site was not saved" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending}>
              {site ? 'Save' : 'Add site'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
