import { Button, Group, Modal, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { z } from 'zod';
import { contactCreateSchema, type Contact } from '@portal/contracts';
import { useActionMutation } from '../../shared/api/queries.ts';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { showServerErrors } from '../../shared/forms/server-errors.ts';
import { allSitesQuery } from './account-directory.ts';
import { blankContactForm, blanksAsNull, ContactFields, contactResolver } from './contact-form.tsx';

const createInput = z.preprocess(blanksAsNull, contactCreateSchema);

export function CreateContactDialog({
  accountId,
  onClose,
  onCreated,
}: {
  accountId: string;
  onClose: () => void;
  onCreated: (contact: Contact) => void;
}) {
  const [failure, setFailure] = useState<unknown>(null);
  const sites = useQuery(allSitesQuery(accountId));
  const form = useForm({
    mode: 'controlled',
    initialValues: blankContactForm,
    validate: contactResolver(contactCreateSchema),
  });
  const create = useActionMutation('directory.createContact', {
    invalidates: ['directory.listContacts', 'directory.listPortalAccess', 'directory.listAccountAudit'],
    onSuccess: (contact) => {
      onClose();
      onCreated(contact);
    },
    onError: (error) =>
      setFailure(
        showServerErrors(form, error, { CONTACT_EMAIL_TAKEN: 'email', SITE_NOT_IN_ACCOUNT: 'siteId' }) ? null : error,
      ),
  });
  return (
    <Modal opened onClose={onClose} title="New contact" centered size="lg">
      <form
        onSubmit={form.onSubmit((values) => {
          setFailure(null);
          create.mutate({ ...createInput.parse(values), accountId });
        })}
        noValidate
      >
        <Stack gap="sm">
          <ContactFields form={form} sites={sites.data?.items ?? []} sitesLoading={sites.isPending} autoFocus />
          {sites.error ? <ErrorNotice error={sites.error} title="The sites could not be loaded" /> : null}
          {failure ? <ErrorNotice error={failure} title="The contact was not created" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create contact
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
