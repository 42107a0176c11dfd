import { Button, Group, Modal, MultiSelect, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useState } from 'react';
import { z } from 'zod';
import { documentRequestCreateSchema } from '@portal/contracts';
import { useActionMutation } from '../../shared/api/queries.ts';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { contentTypesInWords, formatFileSize } from '../../shared/files/upload-file.ts';
import { showServerErrors } from '../../shared/forms/server-errors.ts';
import { useFileTypes } from '../file-types/file-type-queries.ts';
import { ownerOfValue, useAccountOwners } from './document-owners.tsx';
import { everyContactChosen, useContactOptions } from './sharing-fields.tsx';

/** What a request change refreshes. */
export const documentRequestChangeInvalidates = [
  'documents.listDocumentRequests',
  'documents.getDocumentRequest',
] as const;

const requestFormSchema = z.object({
  owner: z.string().min(1, 'Choose where the document belongs'),
  title: documentRequestCreateSchema.shape.title,
  instructions: z.string().max(2000),
  fileTypeId: z.string().min(1, 'Choose a file type'),
  requestedFromContactIds: documentRequestCreateSchema.shape.requestedFromContactIds.min(
    1,
    'Choose at least one contact',
  ),
  dueDate: z.union([z.literal(''), documentRequestCreateSchema.shape.dueDate.unwrap().unwrap()]),
});

type RequestFormValues = {
  owner: string | null;
  title: string;
  instructions: string;
  fileTypeId: string | null;
  requestedFromContactIds: string[];
  dueDate: string;
};

/** "Request a document": asks contacts of the account for a file, of a file type, by a date. */
export function RequestDocumentDialog({ accountId, onClose }: { accountId: string; onClose: () => void }) {
  const owners = useAccountOwners(accountId);
  const fileTypes = useFileTypes();
  const contacts = useContactOptions(accountId);
  const [failure, setFailure] = useState<unknown>(null);
  const resolve = schemaResolver(requestFormSchema, { sync: true });
  const form = useForm<RequestFormValues>({
    mode: 'controlled',
    initialValues: {
      owner: `account:${accountId}`,
      title: '',
      instructions: '',
      fileTypeId: null,
      requestedFromContactIds: [],
      dueDate: '',
    },
    validate: (values) => resolve({ ...values, owner: values.owner ?? '', fileTypeId: values.fileTypeId ?? '' }),
  });
  const create = useActionMutation('documents.createDocumentRequest', {
    invalidates: documentRequestChangeInvalidates,
    onSuccess: (saved) => {
      notifySaved(`Document requested: ${saved.title}`);
      onClose();
    },
    onError: (error) =>
      setFailure(
        showServerErrors(form, error, {
          FILE_TYPE_NOT_FOUND: 'fileTypeId',
          CONTACT_NOT_IN_ACCOUNT: 'requestedFromContactIds',
          OWNER_NOT_FOUND: 'owner',
        })
          ? null
          : error,
      ),
  });
  const fileType = fileTypes.byId.get(form.getValues().fileTypeId ?? '');
  return (
    <Modal opened onClose={onClose} title="Request a document" centered size="lg">
      <form
        onSubmit={form.onSubmit((values) => {
          const owner = ownerOfValue(values.owner);
          if (!owner || !values.fileTypeId) return;
          setFailure(null);
          create.mutate({
            owner,
            title: values.title,
            instructions: values.instructions.trim() || null,
            fileTypeId: values.fileTypeId,
            requestedFromContactIds: values.requestedFromContactIds,
            dueDate: values.dueDate || null,
          });
        })}
        noValidate
      >
        <Stack gap="sm">
          <TextInput
            label="Title"
            description="What is asked for, as the contacts will read it."
            required
            data-autofocus
            {...form.getInputProps('title')}
          />
          <Textarea label="Instructions" autosize minRows={2} maxRows={6} {...form.getInputProps('instructions')} />
          <Select
            label="Belongs to"
            description="The document it brings in is filed here."
            data={owners.options}
            required
            searchable
            allowDeselect={false}
            {...form.getInputProps('owner')}
            error={form.errors['owner'] ?? owners.error?.message}
          />
          <Select
            label="File type"
            placeholder={fileTypes.loading ? 'Loading file types…' : 'Choose a file type'}
            description={
              fileType
                ? `The answer must be ${contentTypesInWords(fileType.allowedContentTypes)}, up to ${formatFileSize(fileType.maxSizeBytes)}.`
                : undefined
            }
            data={fileTypes.options}
            required
            searchable
            nothingFoundMessage="No file type matches. Create one under File types."
            {...form.getInputProps('fileTypeId')}
            error={form.errors['fileTypeId'] ?? fileTypes.error?.message}
          />
          <MultiSelect
            label="Requested from"
            description="Contacts who see the request in the portal and may answer it."
            placeholder={contacts.loading ? 'Loading contacts…' : 'Choose contacts'}
            data={contacts.options}
            required
            searchable
            hidePickedOptions
            nothingFoundMessage={everyContactChosen(form.getValues().requestedFromContactIds, contacts.options)}
            {...form.getInputProps('requestedFromContactIds')}
            error={form.errors['requestedFromContactIds'] ?? contacts.error?.message}
          />
          <TextInput label="Due date" type="date" w={{ base: '100%', xs: 200 }} {...form.getInputProps('dueDate')} />
          {failure ? <ErrorNotice error={failure} title="The request was not created" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Request document
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
