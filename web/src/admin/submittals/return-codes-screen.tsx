import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { randomId } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import { defaultReturnCodes, returnCodeListInputSchema, type ReturnCodeList } from '@portal/contracts';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { ConfirmDialog } from '../../shared/feedback/confirm-dialog.tsx';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { showServerErrors } from '../../shared/forms/server-errors.ts';
import { useCan } from '../../shared/session/permissions.ts';
import { accountRoute } from '../accounts/account-layout.tsx';

/** `/accounts/$accountId/submittals/return-codes`: the codes the account's contacts answer submittals with. */
export const accountReturnCodesRoute = createRoute({
  getParentRoute: () => accountRoute,
  path: 'submittals/return-codes',
  component: ReturnCodesScreen,
});

/** Changes to the list refresh it, and the audit trail that records them. */
const returnCodeChangeInvalidates = ['submittals.getReturnCodes', 'directory.listAccountAudit'] as const;

const completesWords =
  'A code that completes the stage ends this round of the submittal; one that does not lets staff send a next revision.';

function ReturnCodesScreen() {
  const { accountId } = accountRoute.useParams();
  const account = useQuery(actionQuery('directory.getAccount', { accountId }));
  const list = useQuery(actionQuery('submittals.getReturnCodes', { accountId }));
  const writable = useCan('settings:write') && account.data !== undefined && !account.data.archivedAt;
  return (
    <Stack gap="md">
      <Anchor component={Link} to={`/accounts/${accountId}/submittals`} size="sm">
        ← Submittals
      </Anchor>
      <Stack gap={2}>
        <Title order={2} size="h3">
          Return codes
        </Title>
        <Text size="sm" c="dimmed">
          The codes this account’s contacts answer submittals with. {completesWords} Answers already given keep the code
          they were given with.
        </Text>
      </Stack>
      {list.isPending ? (
        <LoadingState label="Loading the return codes" />
      ) : list.error ? (
        <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          <ListOrigin list={list.data} />
          {writable ? (
            // A save or a reset gives a new `updatedAt`: the form starts again from what the server holds.
            <ReturnCodesForm key={list.data.updatedAt ?? 'default'} saved={list.data} />
          ) : (
            <ReturnCodesTable list={list.data} />
          )}
        </>
      )}
    </Stack>
  );
}

function ListOrigin({ list }: { list: ReturnCodeList }) {
  return (
    <Group gap="xs">
      <Badge variant="light" color={list.isDefault ? 'gray' : 'blue'}>
        {list.isDefault ? 'Default list' : 'Own list'}
      </Badge>
      <Text size="sm" c="dimmed">
        {list.isDefault
          ? 'This account uses the installation’s default codes.'
          : `This account has its own codes, last changed ${formatDateTime(list.updatedAt)}.`}
      </Text>
    </Group>
  );
}

/** What a viewer sees: the list, nothing to change. */
function ReturnCodesTable({ list }: { list: ReturnCodeList }) {
  return (
    <Table aria-label="Return codes" withTableBorder maw={720}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Code</Table.Th>
          <Table.Th>Label</Table.Th>
          <Table.Th>Completes the stage</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {list.codes.map((code) => (
          <Table.Tr key={code.code}>
            <Table.Td>
              <Text size="sm" fw={500}>
                {code.code}
              </Text>
            </Table.Td>
            <Table.Td>{code.label}</Table.Td>
            <Table.Td>{code.stageComplete ? 'Yes' : 'No'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** A row of the form; `key` keeps a row's inputs with it when it moves. */
interface CodeRow {
  key: string;
  code: string;
  label: string;
  stageComplete: boolean;
}

const rowOf = (code: { code: string; label: string; stageComplete: boolean }): CodeRow => ({
  key: randomId(),
  ...code,
});
const listSchema = z.object({ codes: returnCodeListInputSchema });

function ReturnCodesForm({ saved }: { saved: ReturnCodeList }) {
  const [failure, setFailure] = useState<unknown>(null);
  const [resetting, setResetting] = useState(false);
  const resolve = schemaResolver(listSchema, { sync: true });
  const form = useForm<{ codes: CodeRow[] }>({
    mode: 'controlled',
    initialValues: { codes: saved.codes.map(rowOf) },
    validate: (values) => resolve({ codes: values.codes.map(({ key: _key, ...code }) => code) }),
  });
  const replace = useActionMutation('submittals.replaceReturnCodes', {
    invalidates: returnCodeChangeInvalidates,
    onSuccess: () => notifySaved('Return codes saved'),
    // Field problems go to their rows (`codes.5.code`); anything else shows below the table.
    onError: (error) => setFailure(showServerErrors(form, error) ? null : error),
  });
  const reset = useActionMutation('submittals.resetReturnCodes', {
    invalidates: returnCodeChangeInvalidates,
    onSuccess: () => {
      notifySaved('Return codes reset to the default');
      setResetting(false);
    },
  });
  const rows = form.getValues().codes;
  const move = (from: number, to: number) => {
    // Errors are kept by position: after a move they would point at the wrong rows.
    form.clearErrors();
    form.reorderListItem('codes', { from, to });
  };
  const listError = form.errors['codes'];

  return (
    <Paper withBorder p="md">
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFailure(null);
          replace.mutate({
            accountId: saved.accountId,
            codes: values.codes.map(({ code, label, stageComplete }) => ({ code: code.trim(), label, stageComplete })),
          });
        })}
      >
        <Stack gap="sm">
          {/* On a phone the rows scroll sideways rather than squeeze the labels to a few letters. */}
          <Table.ScrollContainer minWidth={640}>
            <Table aria-label="Return codes" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={140}>Code</Table.Th>
                  <Table.Th>Label</Table.Th>
                  <Table.Th w={190}>Completes the stage</Table.Th>
                  <Table.Th w={120}>
                    <VisuallyHidden>Order and removal</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row, index) => {
                  const name = `row ${index + 1}`;
                  return (
                    <Table.Tr key={row.key}>
                      <Table.Td style={{ verticalAlign: 'top' }}>
                        <TextInput
                          aria-label={`Code, ${name}`}
                          maxLength={10}
                          {...form.getInputProps(`codes.${index}.code`)}
                          onChange={(event) =>
                            form.setFieldValue(`codes.${index}.code`, event.currentTarget.value.toUpperCase())
                          }
                        />
                      </Table.Td>
                      <Table.Td style={{ verticalAlign: 'top' }}>
                        <TextInput aria-label={`Label, ${name}`} {...form.getInputProps(`codes.${index}.label`)} />
                      </Table.Td>
                      <Table.Td style={{ verticalAlign: 'top' }}>
                        <Switch
                          mt={6}
                          aria-label={`Completes the stage, ${name}`}
                          {...form.getInputProps(`codes.${index}.stageComplete`, { type: 'checkbox' })}
                        />
                      </Table.Td>
                      <Table.Td style={{ verticalAlign: 'top' }}>
                        <Group gap={4} wrap="nowrap" justify="flex-end">
                          <ActionIcon
                            variant="subtle"
                            aria-label={`Move ${name} up`}
                            disabled={index === 0}
                            onClick={() => move(index, index - 1)}
                          >
                            <IconArrowUp size={16} aria-hidden />
                          </ActionIcon>
                          <ActionIcon
                            variant="subtle"
                            aria-label={`Move ${name} down`}
                            disabled={index === rows.length - 1}
                            onClick={() => move(index, index + 1)}
                          >
                            <IconArrowDown size={16} aria-hidden />
                          </ActionIcon>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={`Remove ${name}`}
                            onClick={() => {
                              form.clearErrors();
                              form.removeListItem('codes', index);
                            }}
                          >
                            <IconTrash size={16} aria-hidden />
                          </ActionIcon>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {listError ? (
            <Text size="sm" c="red" role="alert">
              {listError}
            </Text>
          ) : null}
          <Group>
            <Button
              variant="default"
              leftSection={<IconPlus size={16} aria-hidden />}
              disabled={rows.length >= 30}
              onClick={() => form.insertListItem('codes', rowOf({ code: '', label: '', stageComplete: false }))}
            >
              Add a code
            </Button>
          </Group>
          {failure ? <ErrorNotice error={failure} title="The return codes were not saved" /> : null}
          <Group justify="space-between" wrap="wrap">
            {saved.isDefault ? (
              <span />
            ) : (
              <Button
                variant="default"
                color="red"
                onClick={() => {
                  reset.reset();
                  setResetting(true);
                }}
              >
                Reset to default
              </Button>
            )}
            <Group gap="xs">
              <Button
                variant="default"
                disabled={!form.isDirty()}
                onClick={() => {
                  setFailure(null);
                  form.reset();
                }}
              >
                Undo changes
              </Button>
              <Button type="submit" loading={replace.isPending} disabled={!form.isDirty()}>
                Save
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
      {resetting && (
        <ConfirmDialog
          danger
          title="Reset the return codes to the default?"
          confirmLabel="Reset to default"
          pending={reset.isPending}
          error={reset.error}
          onConfirm={() => reset.mutate({ accountId: saved.accountId })}
          onClose={() => setResetting(false)}
        >
          <Text size="sm">
            This account’s own list is replaced by the installation’s default:{' '}
            {defaultReturnCodes.map((code) => `${code.code} ${code.label}`).join(', ')}. Answers already given keep
            their codes.
          </Text>
        </ConfirmDialog>
      )}
    </Paper>
  );
}
