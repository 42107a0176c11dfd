import { Button, Checkbox, Group, Modal, MultiSelect, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import { submittalCreateSchema, submittalPurposes, type SubmittalPurpose } from '@portal/contracts';
import { callAction } from '../../shared/api/action-client.ts';
import type { ApiError } from '../../shared/api/api-error.ts';
import { useActionMutation } from '../../shared/api/queries.ts';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { formatFileSize } from '../../shared/files/upload-file.ts';
import { showServerErrors } from '../../shared/forms/server-errors.ts';
import { allProjectsQuery, collect } from '../contacts/account-directory.ts';
import { purposeWords, submittalChangeInvalidates } from './submittal-parts.tsx';

const optionalDate = z.union([z.literal(''), submittalCreateSchema.shape.dueDate.unwrap().unwrap()]);
const formSchema = z.object({
  projectId: z.string().min(1, 'Choose a project'),
  title: submittalCreateSchema.shape.title,
  purpose: submittalCreateSchema.shape.purpose,
  message: z.string().max(4000),
  dueDate: optionalDate,
  expectedReturnDate: optionalDate,
  notifyByEmail: z.boolean(),
  versionIds: z.array(z.string()).max(50),
});

type FormValues = {
  projectId: string | null;
  title: string;
  purpose: SubmittalPurpose;
  message: string;
  dueDate: string;
  expectedReturnDate: string;
  notifyByEmail: boolean;
  versionIds: string[];
};

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
  const resolve = schemaResolver(formSchema, { sync: true });
  const form = useForm<FormValues>({
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
    onError: (error) =>
      setFailure(
        showServerErrors(form, error, { SUBMITTAL_PROJECT_NOT_FOUND: 'projectId', VERSIONS_NOT_USABLE: 'versionIds' })
          ? null
          : error,
      ),
  });
  return (
    <Modal opened onClose={onClose} title="New submittal" centered size="lg">
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          if (!values.projectId) return;
          setFailure(null);
          create.mutate({
            projectId: values.projectId,
            title: values.title,
            purpose: values.purpose,
            message: values.message.trim() || null,
            dueDate: values.dueDate || null,
            expectedReturnDate: values.expectedReturnDate || null,
            notifyByEmail: values.notifyByEmail,
            versionIds: values.versionIds,
          });
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
          <TextInput label="Title" required {...form.getInputProps('title')} />
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
