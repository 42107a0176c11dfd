import { Button, Group, Modal, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useState } from 'react';
import { z } from 'zod';
import { documentUpdateSchema, type Document } from '@portal/contracts';
import { useActionMutation } from '../../shared/api/queries.ts';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { showServerErrors } from '../../shared/forms/server-errors.ts';
import { useFileTypes } from '../file-types/file-type-queries.ts';
import { SharingFields, type SharingValues } from './sharing-fields.tsx';
import { documentChangeInvalidates } from './use-version-upload.ts';

const editFormSchema = z
  .object({
    title: documentUpdateSchema.shape.title.unwrap(),
    description: z.string().max(2000),
    fileTypeId: z.string().min(1, 'Choose a file type'),
    sharing: documentUpdateSchema.shape.sharing.unwrap(),
    sharedWithContactIds: z.array(z.string()),
  })
  .refine((values) => values.sharing !== 'contacts' || values.sharedWithContactIds.length > 0, {
    path: ['sharedWithContactIds'],
    message: 'Choose at least one contact',
  });

type EditFormValues = SharingValues & { title: string; description: string; fileTypeId: string | null };

/** Changes a document's title, description, file type and sharing (its files stay as they are). */
export function EditDocumentDialog({ document, onClose }: { document: Document; onClose: () => void }) {
  const fileTypes = useFileTypes();
  const [failure, setFailure] = useState<unknown>(null);
  const resolve = schemaResolver(editFormSchema, { sync: true });
  const form = useForm<EditFormValues>({
    mode: 'controlled',
    initialValues: {
      title: document.title,
      description: document.description ?? '',
      fileTypeId: document.fileTypeId,
      sharing: document.sharing,
      sharedWithContactIds: [...document.sharedWithContactIds],
    },
    validate: (values) => resolve({ ...values, fileTypeId: values.fileTypeId ?? '' }),
  });
  const update = useActionMutation('documents.updateDocument', {
    invalidates: documentChangeInvalidates,
    onSuccess: (saved) => {
      notifySaved(`Document ${saved.title} saved`);
      onClose();
    },
    onError: (error) =>
      setFailure(
        showServerErrors(form, error, {
          FILE_TYPE_NOT_FOUND: 'fileTypeId',
          CONTACT_NOT_IN_ACCOUNT: 'sharedWithContactIds',
        })
          ? null
          : error,
      ),
  });
  const fileType = fileTypes.byId.get(form.getValues().fileTypeId ?? '');
  return (
    <Modal opened onClose={onClose} title={`Edit document ${document.title}`} centered size="lg">
      <form
        onSubmit={form.onSubmit((values) => {
          setFailure(null);
          update.mutate({
            documentId: document.id,
            title: values.title,
            description: values.description.trim() || null,
            fileTypeId: values.fileTypeId ?? document.fileTypeId,
            sharing: values.sharing,
            sharedWithContactIds: values.sharing === 'contacts' ? values.sharedWithContactIds : [],
          });
        })}
        noValidate
      >
        <Stack gap="sm">
          <TextInput label="Title" required data-autofocus {...form.getInputProps('title')} />
          <Textarea label="Description" autosize minRows={2} maxRows={5} {...form.getInputProps('description')} />
          <Select
            label="File type"
            description="Files already uploaded stay; new versions follow the new type's limits."
            data={fileTypes.options}
            required
            searchable
            allowDeselect={false}
            {...form.getInputProps('fileTypeId')}
            error={form.errors['fileTypeId'] ?? fileTypes.error?.message}
          />
          <SharingFields form={form} accountId={document.accountId} fileType={fileType} />
          {failure ? <ErrorNotice error={failure} title="The document was not saved" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
