import { Button, Group, Modal, MultiSelect, NumberInput, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useState } from 'react';
import { z } from 'zod';
import {
  documentContentTypes,
  fileTypeInputSchema,
  fileTypeSchema,
  maxDocumentSizeBytes,
  type DocumentContentType,
  type FileType,
} from '@portal/contracts';
import { useActionMutation } from '../../shared/api/queries.ts';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { bytesToMegabytes, contentTypeNames, megabytesToBytes } from '../../shared/files/upload-file.ts';
import { showServerErrors } from '../../shared/forms/server-errors.ts';
import { fileTypeChangeInvalidates } from './file-type-queries.ts';

/** What "customer-visible" means, as the contract says it. */
export const customerVisibleHelp = fileTypeSchema.shape.customerVisible.description ?? '';

const maxMegabytes = bytesToMegabytes(maxDocumentSizeBytes);

/** The contract's input, with the size limit in megabytes as the form asks for it. */
const fileTypeFormSchema = fileTypeInputSchema.omit({ maxSizeBytes: true }).extend({
  maxSizeMegabytes: z
    .number({ error: 'Enter the largest file size in MB' })
    .positive('Enter a size above 0 MB')
    .max(maxMegabytes, `At most ${maxMegabytes} MB`),
});

type FileTypeFormValues = {
  code: string;
  name: string;
  customerVisible: boolean;
  allowedContentTypes: DocumentContentType[];
  maxSizeMegabytes: number | string;
};

const contentTypeOptions = documentContentTypes.map((type) => ({ value: type, label: contentTypeNames[type] }));

/** Creates a file type, or changes one (`fileType` given). */
export function FileTypeDialog({ fileType, onClose }: { fileType?: FileType; onClose: () => void }) {
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<FileTypeFormValues>({
    mode: 'controlled',
    initialValues: {
      code: fileType?.code ?? '',
      name: fileType?.name ?? '',
      customerVisible: fileType?.customerVisible ?? false,
      allowedContentTypes: fileType ? [...fileType.allowedContentTypes] : ['application/pdf'],
      maxSizeMegabytes: fileType ? bytesToMegabytes(fileType.maxSizeBytes) : 100,
    },
    validate: schemaResolver(fileTypeFormSchema, { sync: true }),
  });
  const onError = (error: unknown) =>
    setFailure(showServerErrors(form, error, { FILE_TYPE_CODE_TAKEN: 'code' }) ? null : error);
  const create = useActionMutation('documents.createFileType', {
    invalidates: fileTypeChangeInvalidates,
    onSuccess: (saved) => {
      notifySaved(`File type ${saved.name} created`);
      onClose();
    },
    onError,
  });
  const update = useActionMutation('documents.updateFileType', {
    invalidates: fileTypeChangeInvalidates,
    onSuccess: (saved) => {
      notifySaved(`File type ${saved.name} saved`);
      onClose();
    },
    onError,
  });
  return (
    <Modal opened onClose={onClose} title={fileType ? `Edit file type ${fileType.name}` : 'New file type'} centered>
      <form
        onSubmit={form.onSubmit((values) => {
          setFailure(null);
          const input = {
            code: values.code.trim(),
            name: values.name,
            customerVisible: values.customerVisible,
            allowedContentTypes: values.allowedContentTypes,
            maxSizeBytes: Math.min(megabytesToBytes(Number(values.maxSizeMegabytes)), maxDocumentSizeBytes),
          };
          if (fileType) update.mutate({ fileTypeId: fileType.id, ...input });
          else create.mutate(input);
        })}
        noValidate
      >
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <TextInput
              label="Code"
              description="Lower-case letters, digits, _ and -"
              required
              data-autofocus
              {...form.getInputProps('code')}
            />
            <TextInput label="Name" required {...form.getInputProps('name')} />
          </SimpleGrid>
          <Switch
            label="Customer-visible"
            description={customerVisibleHelp}
            {...form.getInputProps('customerVisible', { type: 'checkbox' })}
          />
          <MultiSelect
            label="Accepted file types"
            description="Uploads are checked against these by what their bytes are, not only by their names."
            placeholder="Choose one or more"
            data={contentTypeOptions}
            required
            searchable
            hidePickedOptions
            nothingFoundMessage="No such file type"
            {...form.getInputProps('allowedContentTypes')}
          />
          <NumberInput
            label="Size limit (MB)"
            description={`The largest file accepted, up to ${maxMegabytes} MB.`}
            required
            min={0.01}
            max={maxMegabytes}
            decimalScale={2}
            allowNegative={false}
            {...form.getInputProps('maxSizeMegabytes')}
          />
          {failure ? <ErrorNotice error={failure} title="The file type was not saved" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending}>
              {fileType ? 'Save' : 'Create file type'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
