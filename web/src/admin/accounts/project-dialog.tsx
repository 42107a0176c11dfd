import { Button, Group, Modal, Select, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { projectCreateSchema, projectSchema, projectUpdateSchema, type Project } from '@portal/contracts';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { showServerErrors } from '../../shared/forms/server-errors.ts';

/** What a project change refreshes: its lists, itself and the account's trail. */
export const projectChangeInvalidates = [
  'directory.listProjects',
  'directory.getProject',
  'directory.listAccountAudit',
] as const;

/** What hidden and completed mean, as the contract says it. */
export const projectFlagHelp = {
  hidden: projectSchema.shape.hidden.description,
  completed: projectSchema.shape.completed.description,
} as const;

/**
 * The account's live sites as select options (code and name), plus one more by id (a project's
 * site archived since), so a select never shows a bare id.
 */
export function useSiteOptions(accountId: string, alsoSiteId?: string | null) {
  const sites = useQuery(actionQuery('directory.listSites', { accountId, limit: 100 }));
  const extra = useQuery({
    ...actionQuery('directory.getSite', { siteId: alsoSiteId ?? '' }),
    enabled: !!alsoSiteId && sites.isSuccess && !sites.data.items.some((site) => site.id === alsoSiteId),
  });
  const all = [...(sites.data?.items ?? []), ...(extra.data ? [extra.data] : [])];
  return {
    options: all.map((site) => ({ value: site.id, label: `${site.code} · ${site.name}` })),
    loading: sites.isPending,
    error: sites.error,
  };
}

type ProjectFormValues = {
  code: string;
  name: string;
  siteId: string | null;
  hidden: boolean;
  completed: boolean;
};

/** Adds a project to an account, or changes one (`project` given). */
export function ProjectDialog({
  accountId,
  project,
  onClose,
}: {
  accountId: string;
  project?: Project;
  onClose: () => void;
}) {
  const [failure, setFailure] = useState<unknown>(null);
  const sites = useSiteOptions(accountId, project?.siteId);
  const form = useForm<ProjectFormValues>({
    mode: 'controlled',
    initialValues: {
      code: project?.code ?? '',
      name: project?.name ?? '',
      siteId: project?.siteId ?? null,
      hidden: project?.hidden ?? false,
      completed: project?.completed ?? false,
    },
    validate: schemaResolver(project ? projectUpdateSchema : projectCreateSchema, { sync: true }),
  });
  const onError = (error: unknown) =>
    setFailure(
      showServerErrors(form, error, { PROJECT_CODE_TAKEN: 'code', SITE_NOT_IN_ACCOUNT: 'siteId' }) ? null : error,
    );
  const create = useActionMutation('directory.createProject', {
    invalidates: projectChangeInvalidates,
    onSuccess: (saved) => {
      notifySaved(`Project ${saved.code} added`);
      onClose();
    },
    onError,
  });
  const update = useActionMutation('directory.updateProject', {
    invalidates: projectChangeInvalidates,
    onSuccess: (saved) => {
      notifySaved(`Project ${saved.code} saved`);
      onClose();
    },
    onError,
  });
  return (
    <Modal opened onClose={onClose} title={project ? `Edit project ${project.code}` : 'New project'} centered>
      <form
        onSubmit={form.onSubmit((values) => {
          setFailure(null);
          if (project) update.mutate({ projectId: project.id, ...values });
          else create.mutate({ accountId, ...values });
        })}
        noValidate
      >
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <TextInput label="Project code" required data-autofocus {...form.getInputProps('code')} />
            <TextInput label="Name" required {...form.getInputProps('name')} />
          </SimpleGrid>
          <Select
            label="Site"
            description="Leave empty for a project of the account as a whole."
            placeholder={sites.loading ? 'Loading sites…' : 'No site'}
            data={sites.options}
            clearable
            searchable
            nothingFoundMessage="No site matches. Add sites on the Sites tab."
            {...form.getInputProps('siteId')}
            error={form.errors['siteId'] ?? sites.error?.message}
          />
          <Switch
            label="Hidden"
            description={projectFlagHelp.hidden}
            {...form.getInputProps('hidden', { type: 'checkbox' })}
          />
          <Switch
            label="Completed"
            description={projectFlagHelp.completed}
            {...form.getInputProps('completed', { type: 'checkbox' })}
          />
          {failure ? <ErrorNotice error={failure} title="The project was not saved" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending}>
              {project ? 'Save' : 'Add project'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
