import { Button, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useState } from 'react';
import { accountCreateSchema, type Account } from '@portal/contracts';
import { useActionMutation } from '../../shared/api/queries.ts';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { showServerErrors } from '../../shared/forms/server-errors.ts';

export function CreateAccountDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (account: Account) => void;
}) {
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { number: '', name: '', kind: 'customer' as Account['kind'] },
    validate: schemaResolver(accountCreateSchema, { sync: true }),
  });
  const create = useActionMutation('directory.createAccount', {
    invalidates: ['directory.listAccounts'],
    onSuccess: (account) => {
      onClose();
      onCreated(account);
    },
    onError: (error) => setFailure(showServerErrors(form, error, { ACCOUNT_NUMBER_TAKEN: 'number' }) ? null : error),
  });
  return (
    <Modal opened onClose={onClose} title="New account" centered>
      <form
        onSubmit={form.onSubmit((values) => {
          setFailure(null);
          create.mutate(values);
        })}
        noValidate
      >
        <Stack gap="sm">
          <TextInput label="Account number" required data-autofocus {...form.getInputProps('number')} />
          <TextInput label="Name" required {...form.getInputProps('name')} />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="account-kind-label">
              Kind
            </Text>
            <SegmentedControl
              aria-labelledby="account-kind-label"
              data={[
                { value: 'customer', label: 'Customer' },
                { value: 'consolidated', label: 'Consolidated' },
              ]}
              {...form.getInputProps('kind')}
            />
          </Stack>
          {failure ? <ErrorNotice error={failure} title="The account was not created" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create account
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
