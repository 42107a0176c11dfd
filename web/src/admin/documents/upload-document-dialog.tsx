import {
  Button,
  FileInput,
  Group,
  Modal,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
  type FileInputProps,
} from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { z } from 'zod';
import { documentCreateSchema, type Document, type FileType } from '@portal/contracts';
import { callAction } from '../../shared/api/action-client.ts';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import {
  acceptAttributeOf,
  contentTypesInWords,
  fileProblemOf,
  formatFileSize,
} from '../../shared/files/upload-file.ts';
import { showServerErrors } from '../../shared/forms/server-errors.ts';
import { useFileTypes } from '../file-types/file-type-queries.ts';
import { ownerOfValue, useAccountOwners } from './document-owners.tsx';
import { SharingFields, type SharingValues } from './sharing-fields.tsx';
import { useVersionUpload } from './use-version-upload.ts';
import { UploadProgressBar } from './version-parts.tsx';

/** The file chooser of an upload, with what the file type accepts said beside it. */
export function DocumentFileInput({
  fileType,
  ...props
}: { fileType: FileType | undefined } & Omit<FileInputProps<false>, 'multiple'>) {
  return (
    <FileInput
      label="File"
      placeholder="Choose a file"
      // Mantine's placeholder grey is below AA contrast, and here it is the button's only text.
      styles={{ placeholder: { color: 'var(--mantine-color-gray-7)' } }}
      accept={acceptAttributeOf(fileType?.allowedContentTypes)}
      description={
        fileType
          ? `${fileType.name} accepts ${contentTypesInWords(fileType.allowedContentTypes)}, up to ${formatFileSize(fileType.maxSizeBytes)}.`
          : undefined
      }
      leftSection={<IconUpload size={16} aria-hidden />}
      clearable
      required
      {...props}
    />
  );
}

/** The file's problem under the chosen file type, for the form's `file` field. */
export const fileErrorOf = (file: File | null, fileType: FileType | undefined): string | null =>
  file ? fileProblemOf(file, fileType) : 'Choose a file';

/** A file's name without its extension: the title an upload gets unless the person types another. */
const titleOfFile = (name: string) => name.replace(/\.[^./\\]{1,10}$/, '') || name;

const uploadFormSchema = z
  .object({
    title: documentCreateSchema.shape.title,
    description: z.string().max(2000),
    owner: z.string().min(1, 'Choose where the document belongs'),
    fileTypeId: z.string().min(1, 'Choose a file type'),
    sharing: documentCreateSchema.shape.sharing,
    sharedWithContactIds: z.array(z.string()),
  })
  .refine((values) => values.sharing !== 'contacts' || values.sharedWithContactIds.length > 0, {
    path: ['sharedWithContactIds'],
    message: 'Choose at least one contact',
  });

type UploadFormValues = SharingValues & {
  file: File | null;
  title: string;
  description: string;
  owner: string | null;
  fileTypeId: string | null;
};

/**
 * "Upload document": a new document of the account (or one of its sites or projects) with its
 * first file. Creates the document, then sends the file with a progress bar and finalizes; if the
 * file is refused, the document stays (without a file) and another file can be sent to it here.
 */
export function UploadDocumentDialog({
  accountId,
  defaultOwner,
  onClose,
}: {
  accountId: string;
  /** A `<kind>:<id>` owner to start with (the account itself by default). */
  defaultOwner?: string;
  onClose: () => void;
}) {
  const owners = useAccountOwners(accountId);
  const fileTypes = useFileTypes();
  const upload = useVersionUpload();
  const [created, setCreated] = useState<Document | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const resolve = schemaResolver(uploadFormSchema, { sync: true });
  const form = useForm<UploadFormValues>({
    mode: 'controlled',
    initialValues: {
      file: null,
      title: '',
      description: '',
      owner: defaultOwner ?? `account:${accountId}`,
      fileTypeId: null,
      sharing: 'by-file-type',
      sharedWithContactIds: [],
    },
    validate: (values) => {
      const errors = resolve({ ...values, owner: values.owner ?? '', fileTypeId: values.fileTypeId ?? '' });
      const fileError = fileErrorOf(values.file, fileTypes.byId.get(values.fileTypeId ?? ''));
      return fileError ? { ...errors, file: fileError } : errors;
    },
  });
  const values = form.getValues();
  const fileType = fileTypes.byId.get(values.fileTypeId ?? '');
  const busy = creating || upload.pending;

  async function submit(values: UploadFormValues) {
    const owner = ownerOfValue(values.owner);
    if (!values.file || !owner || !values.fileTypeId) return;
    setFailure(null);
    try {
      let document = created;
      if (!document) {
        setCreating(true);
        try {
          document = await callAction('documents.createDocument', {
            owner,
            title: values.title,
            description: values.description.trim() || null,
            fileTypeId: values.fileTypeId,
            sharing: values.sharing,
            sharedWithContactIds: values.sharing === 'contacts' ? values.sharedWithContactIds : [],
          });
        } finally {
          setCreating(false);
        }
        setCreated(document);
      }
      await upload.upload(document.id, values.file, fileType);
      notifySaved(`Document ${document.title} uploaded`);
      onClose();
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      setFailure(
        showServerErrors(form, error, {
          FILE_TYPE_NOT_FOUND: 'fileTypeId',
          CONTACT_NOT_IN_ACCOUNT: 'sharedWithContactIds',
        })
          ? null
          : error,
      );
    }
  }

  return (
    <Modal opened onClose={onClose} title="Upload document" centered size="lg">
      <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
        <Stack gap="sm">
          <Select
            label="File type"
            placeholder={fileTypes.loading ? 'Loading file types…' : 'Choose a file type'}
            data={fileTypes.options}
            required
            searchable
            disabled={created !== null}
            nothingFoundMessage="No file type matches. Create one under File types."
            data-autofocus
            {...form.getInputProps('fileTypeId')}
            error={form.errors['fileTypeId'] ?? fileTypes.error?.message}
          />
          <DocumentFileInput
            fileType={fileType}
            disabled={busy}
            {...form.getInputProps('file')}
            onChange={(file) => {
              const previous = form.getValues();
              // The title follows the file until the person types one of their own.
              if (!created && (!previous.title || previous.title === titleOfFile(previous.file?.name ?? ''))) {
                form.setFieldValue('title', file ? titleOfFile(file.name) : '');
              }
              form.setFieldValue('file', file);
              form.setFieldError('file', file ? fileErrorOf(file, fileType) : null);
            }}
          />
          <TextInput label="Title" required disabled={created !== null} {...form.getInputProps('title')} />
          <Textarea
            label="Description"
            autosize
            minRows={2}
            maxRows={5}
            disabled={created !== null}
            {...form.getInputProps('description')}
          />
          <Select
            label="Belongs to"
            description="Contacts see it where they can see its owner."
            placeholder={owners.loading ? 'Loading sites and projects…' : 'Choose'}
            data={owners.options}
            required
            searchable
            allowDeselect={false}
            disabled={created !== null}
            {...form.getInputProps('owner')}
            error={form.errors['owner'] ?? owners.error?.message}
          />
          {created ? (
            <Text size="sm">
              The document was created; choose another file and send it, or leave it without a file.
            </Text>
          ) : (
            <SharingFields form={form} accountId={accountId} fileType={fileType} />
          )}
          {upload.progress && <UploadProgressBar progress={upload.progress} />}
          {failure ? <ErrorNotice error={failure} title="The file was not uploaded" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {created ? 'Leave without a file' : 'Cancel'}
            </Button>
            <Button type="submit" loading={busy} leftSection={<IconUpload size={16} aria-hidden />}>
              {created ? 'Upload file' : 'Upload document'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
