import { Badge, Button, Group, Paper, Stack, Switch, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import { systemOptionsSchema, type SystemOptions } from '@portal/contracts';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { Page } from '../../shared/layout/page.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { adminRootRoute } from '../root-route.tsx';

/** `/system-options`: the installation-wide switches of the portal's login page. */
export const systemOptionsRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: 'system-options',
  component: SystemOptionsScreen,
});

type Option = Exclude<keyof SystemOptions, 'updatedAt'>;

/** Each switch, labelled, with the contract's explanation and what it means in practice. */
const options: { key: Option; label: string; description: string; more: string }[] = [
  {
    key: 'requestLoginButton',
    label: '“Request access” button',
    description: systemOptionsSchema.shape.requestLoginButton.description ?? '',
    more: 'The login page shows it as “Request access”: visitors without a login ask for one, and each request waits under Access requests for staff to approve or reject.',
  },
  {
    key: 'selfRegistration',
    label: 'Self-registration with an invoice',
    description: systemOptionsSchema.shape.selfRegistration.description ?? '',
    more: 'Contacts of accounts whose class allows it may register with an invoice number and its quick-pay code or account number.',
  },
];

function SystemOptionsScreen() {
  const canWrite = useCan('settings:write');
  const current = useQuery(actionQuery('directory.getSystemOptions', {}));
  return (
    <Page title="System options" description="Options of the portal’s login page, for the whole installation.">
      {current.isPending ? (
        <LoadingState label="Loading the system options" />
      ) : current.error ? (
        <ErrorNotice error={current.error} onRetry={() => void current.refetch()} />
      ) : canWrite ? (
        // A save (or a change elsewhere) gives a new `updatedAt`: the form starts again from what the server holds.
        <SystemOptionsForm key={current.data.updatedAt ?? 'defaults'} saved={current.data} />
      ) : (
        <Paper withBorder p="md" maw={720}>
          <Stack gap="md">
            {options.map((option) => (
              <Stack gap={2} key={option.key}>
                <Group gap="xs">
                  <Text size="sm" fw={500}>
                    {option.label}
                  </Text>
                  <Badge variant="light" color={current.data[option.key] ? 'green' : 'gray'}>
                    {current.data[option.key] ? 'On' : 'Off'}
                  </Badge>
                </Group>
                <Text size="sm" c="dimmed">
                  {option.description} {option.more}
                </Text>
              </Stack>
            ))}
            <LastChanged at={current.data.updatedAt} />
          </Stack>
        </Paper>
      )}
    </Page>
  );
}

function LastChanged({ at }: { at: string | null }) {
  return (
    <Text size="xs" c="dimmed">
      {at ? `Last changed ${formatDateTime(at)}` : 'Never changed: these are the defaults.'}
    </Text>
  );
}

function SystemOptionsForm({ saved }: { saved: SystemOptions }) {
  const form = useForm<Record<Option, boolean>>({
    mode: 'controlled',
    initialValues: { requestLoginButton: saved.requestLoginButton, selfRegistration: saved.selfRegistration },
  });
  const save = useActionMutation('directory.updateSystemOptions', {
    invalidates: ['directory.getSystemOptions'],
    onSuccess: () => notifySaved('System options saved'),
  });
  return (
    <Paper withBorder p="md" maw={720}>
      <form
        onSubmit={form.onSubmit((values) => {
          save.reset();
          save.mutate(values);
        })}
        noValidate
      >
        <Stack gap="md">
          {options.map((option) => (
            <Switch
              key={option.key}
              label={option.label}
              description={`${option.description} ${option.more}`}
              {...form.getInputProps(option.key, { type: 'checkbox' })}
            />
          ))}
          {save.error ? <ErrorNotice error={save.error} title="The options were not saved" /> : null}
          <Group justify="space-between" wrap="wrap">
            <LastChanged at={saved.updatedAt} />
            <Group gap="xs">
              <Button variant="default" disabled={!form.isDirty()} onClick={() => form.reset()}>
                Undo changes
              </Button>
              <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
                Save
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
