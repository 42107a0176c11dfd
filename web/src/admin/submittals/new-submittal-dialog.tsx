import { Button, Checkbox, Group, Modal, MultiSelect, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { schemaResolver, useForm, type UseFormReturnType } from '@mantine/form';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import { submittalCreateSchema, submittalPurposes, type Submittal, type SubmittalPurpose } from '@portal/contracts';
import { callAction } from '../../shared/api/action-client.ts';
import type { ApiError } from '../../shared/api/api-error.ts';
import { useActionMutation } from '../../shared/api/queries.ts';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { formatFileSize } from '../../shared/files/upload-file.ts';
import { showServerErrors } from '../../shared/forms/server-errors.ts';
import { allProjectsQuery, collect } from '../contacts/account-directory.ts';
import { purposeWords, submittalChangeInvalidates, submittalNumberOf } from './submittal-parts.tsx';

const optionalDate = z.union([z.literal(''), submittalCreateSchema.shape.dueDate.unwrap().unwrap()]);
/** What a draft says and carries: the same fields whether it is being created or edited. */
const detailsSchema = z.object({
  title: submittalCreateSchema.shape.title,
  purpose: submittalCreateSchema.shape.purpose,
  message: z.string().max(4000),
  dueDate: optionalDate,
  expectedReturnDate: optionalDate,
  notifyByEmail: z.boolean(),
  versionIds: z.array(z.string()).max(50),
});
const newSubmittalSchema = detailsSchema.extend({ projectId: z.string().min(1, 'Choose a project') });

type DetailsValues = {
  title: string;
  purpose: SubmittalPurpose;
  message: string;
  dueDate: string;
  expectedReturnDate: string;
  notifyByEmail: boolean;
  versionIds: string[];
};
type NewSubmittalValues = DetailsValues & { projectId: string | null };

/** The form's values as the API takes them: blanks become null. */
const detailsOf = (values: DetailsValues) => ({
  title: values.title,
  purpose: values.purpose,
  message: values.message.trim() || null,
  dueDate: values.dueDate || null,
  expectedReturnDate: values.expectedReturnDate || null,
  notifyByEmail: values.notifyByEmail,
  versionIds: values.versionIds,
});

/** Where the API's refusals belong on the form. */
const fieldOfCode = { SUBMITTAL_PROJECT_NOT_FOUND: 'projectId', VERSIONS_NOT_USABLE: 'versionIds' };

/** The account's documents with a clean current version: what a submittal may carry. */
function useCleanVersions(accountId: string) {
  return useQuery<{ value: string; label: string }[], ApiError>({
    queryKey: ['documents.listDocuments', { accountId, all: true, clean: true }],
    queryFn: async ({ signal }) => {
      const documents = await collect((cursor) =>
        callAction('documents.listDocuments', { accountId, limit: 100, cursor, includeArchived: false }, signal),
      );
      return documents.items.flatMap((document) =>
        document.currentVersion
          ? [
              {
                value: document.currentVersion.id,
                label: `${document.title} · ${document.currentVersion.fileName} (${formatFileSize(document.currentVersion.sizeBytes)})`,
              },
            ]
          : [],
      );
    },
  });
}

/** "New submittal": a draft on one of the account's projects, with clean document versions as its files. */
export function NewSubmittalDialog({ accountId, onClose }: { accountId: string; onClose: () => void }) {
  const navigate = useNavigate();
  const projects = useQuery(allProjectsQuery(accountId));
  const versions = useCleanVersions(accountId);
  const [failure, setFailure] = useState<unknown>(null);
  const resolve = schemaResolver(newSubmittalSchema, { sync: true });
  const form = useForm<NewSubmittalValues>({
    mode: 'controlled',
    initialValues: {
      projectId: null,
      title: '',
      purpose: 'for-approval',
      message: '',
      dueDate: '',
      expectedReturnDate: '',
      notifyByEmail: false,
      versionIds: [],
    },
    validate: (values) => resolve({ ...values, projectId: values.projectId ?? '' }),
  });
  const create = useActionMutation('submittals.createSubmittal', {
    invalidates: submittalChangeInvalidates,
    onSuccess: (saved) => {
      notifySaved(`Submittal ${saved.number} created as a draft`);
      onClose();
      void navigate({ to: `/submittals/${saved.id}` });
    },
    onError: (error) => setFailure(showServerErrors(form, error, fieldOfCode) ? null : error),
  });
  return (
    <Modal opened onClose={onClose} title="New submittal" centered size="lg">
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          if (!values.projectId) return;
          setFailure(null);
          create.mutate({ projectId: values.projectId, ...detailsOf(values) });
        })}
      >
        <Stack gap="sm">
          <Select
            label="Project"
            placeholder={projects.isPending ? 'Loading projects…' : 'Choose a project'}
            data={(projects.data?.items ?? []).map((project) => ({
              value: project.id,
              label: `${project.code} · ${project.name}`,
            }))}
            required
            searchable
            data-autofocus
            {...form.getInputProps('projectId')}
            error={form.errors['projectId'] ?? projects.error?.message}
          />
          <DetailsFields form={form} versions={versions} />
          {failure ? <ErrorNotice error={failure} title="The submittal was not created" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create draft
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** "Edit" on a draft: the same fields, prefilled; the project and number stay as they are. */
export function EditSubmittalDialog({ submittal, onClose }: { submittal: Submittal; onClose: () => void }) {
  const versions = useCleanVersions(submittal.accountId);
  const [failure, setFailure] = useState<unknown>(null);
  const resolve = schemaResolver(detailsSchema, { sync: true });
  const form = useForm<DetailsValues>({
    mode: 'controlled',
    initialValues: {
      title: submittal.title,
      purpose: submittal.purpose,
      message: submittal.message ?? '',
      dueDate: submittal.dueDate ?? '',
      expectedReturnDate: submittal.expectedReturnDate ?? '',
      notifyByEmail: submittal.notifyByEmail,
      versionIds: submittal.files.map((file) => file.versionId),
    },
    validate: resolve,
  });
  const update = useActionMutation('submittals.updateSubmittal', {
    invalidates: submittalChangeInvalidates,
    onSuccess: (saved) => {
      notifySaved(`${submittalNumberOf(saved)} saved`);
      onClose();
    },
    onError: (error) => setFailure(showServerErrors(form, error, fieldOfCode) ? null : error),
  });
  // A file attached earlier may no longer be its document's current version: it stays choosable.
  const attached = submittal.files.map((file) => ({
    value: file.versionId,
    label: `${file.fileName} (${formatFileSize(file.sizeBytes)}, attached)`,
  }));
  const choices = versions.data
    ? [...versions.data, ...attached.filter((file) => !versions.data.some((v) => v.value === file.value))]
    : undefined;
  return (
    <Modal opened onClose={onClose} title={`Edit ${submittalNumberOf(submittal)}`} centered size="lg">
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFailure(null);
          update.mutate({ submittalId: submittal.id, ...detailsOf(values) });
        })}
      >
        <Stack gap="sm">
          <DetailsFields form={form} versions={{ ...versions, data: choices }} autofocus />
          {failure ? <ErrorNotice error={failure} title="The draft was not saved" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
              Save draft
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Title, purpose, message, dates, files and the e-mail choice, for a new draft or an edited one. */
function DetailsFields<Values extends DetailsValues>({
  form,
  versions,
  autofocus = false,
}: {
  form: UseFormReturnType<Values>;
  versions: Pick<UseQueryResult<{ value: string; label: string }[], ApiError>, 'data' | 'isPending' | 'error'>;
  autofocus?: boolean;
}) {
  return (
    <>
      <TextInput label="Title" required data-autofocus={autofocus || undefined} {...form.getInputProps('title')} />
      <Select
        label="Purpose"
        data={submittalPurposes.map((purpose) => ({ value: purpose, label: purposeWords[purpose] }))}
        allowDeselect={false}
        required
        {...form.getInputProps('purpose')}
      />
      <Textarea label="Message" autosize minRows={2} maxRows={6} {...form.getInputProps('message')} />
      <Group grow wrap="wrap">
        <TextInput label="Due date" type="date" {...form.getInputProps('dueDate')} />
        <TextInput label="Expected return date" type="date" {...form.getInputProps('expectedReturnDate')} />
      </Group>
      <MultiSelect
        label="Files"
        description="Current, virus-checked versions of this account's documents. A draft can be sent once it has a file."
        placeholder={versions.isPending ? 'Loading documents…' : 'Choose documents'}
        data={versions.data ?? []}
        searchable
        hidePickedOptions
        nothingFoundMessage="No document with a checked file matches"
        {...form.getInputProps('versionIds')}
        error={form.errors['versionIds'] ?? versions.error?.message}
      />
      <Checkbox
        label="Notify the project's contacts by e-mail when it is sent"
        {...form.getInputProps('notifyByEmail', { type: 'checkbox' })}
      />
    </>
  );
}
