import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useState } from 'react';
import { accountUpdateSchema, type Account } from '@portal/contracts';
import { useActionMutation } from '../../shared/api/queries.ts';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { showServerErrors } from '../../shared/forms/server-errors.ts';
import { AccountSelect } from './account-select.tsx';

/** What an account change refreshes: the account everywhere it shows, the lists and its trail. */
export const accountChangeInvalidates = [
  'directory.getAccount',
  'directory.listAccounts',
  'directory.listAccountAudit',
] as const;

/** Number, name and, for a customer account, the consolidated account it belongs to. */
export function EditAccountDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const [failure, setFailure] = useState<unknown>(null);
  const isCustomer = account.kind === 'customer';
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      number: account.number,
      name: account.name,
      consolidatedAccountId: account.consolidatedAccountId,
    },
    validate: schemaResolver(accountUpdateSchema, { sync: true }),
  });
  const update = useActionMutation('directory.updateAccount', {
    invalidates: accountChangeInvalidates,
    onSuccess: (saved) => {
      notifySaved(`Account ${saved.number} saved`);
      onClose();
    },
    onError: (error) =>
      setFailure(
        showServerErrors(form, error, {
          ACCOUNT_NUMBER_TAKEN: 'number',
          CONSOLIDATED_ACCOUNT_INVALID: 'consolidatedAccountId',
        })
          ? null
          : error,
      ),
  });
  return (
    <Modal opened onClose={onClose} title="Edit account" centered>
      <form
        onSubmit={form.onSubmit((values) => {
          setFailure(null);
          update.mutate({
            accountId: account.id,
            number: values.number,
            name: values.name,
            ...(isCustomer ? { consolidatedAccountId: values.consolidatedAccountId } : {}),
          });
        })}
        noValidate
      >
        <Stack gap="sm">
          <TextInput label="Account number" required data-autofocus {...form.getInputProps('number')} />
          <TextInput label="Name" required {...form.getInputProps('name')} />
          {isCustomer && (
            <AccountSelect
              kind="consolidated"
              label="Consolidated account"
              description="The group this customer belongs to. The group's contacts may see this account's items, as their access allows."
              placeholder="None"
              clearable
              value={form.values.consolidatedAccountId}
              onChange={(group) => form.setFieldValue('consolidatedAccountId', group?.id ?? null)}
              error={form.errors['consolidatedAccountId']}
            />
          )}
          {failure ? <ErrorNotice error={failure} title="The account was not saved" /> : null}
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
