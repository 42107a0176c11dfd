import { Button, Group, Modal, Stack, Switch, Text, TextInput, Textarea } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useState } from 'react';
import { accountClassInputSchema, accountClassSettingsSchema, type AccountClass } from '@portal/contracts';
import { useActionMutation } from '../../shared/api/queries.ts';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { showServerErrors } from '../../shared/forms/server-errors.ts';

/** What a class change refreshes: the classes, and the accounts' class panels that show its settings. */
export const accountClassChangeInvalidates = ['directory.listAccountClasses', 'directory.getAccountClass'] as const;

type Setting = keyof typeof accountClassSettingsSchema.shape;

const settingLabels: Record<Setting, string> = {
  autoSendInvite: 'Invite new contacts automatically',
  allowSelfRegistration: 'Allow self-registration',
  requireMfa: 'Require MFA',
};

/** The three portal settings of a class, labelled, with the contract's own explanation of each. */
export const accountClassSettings = (Object.keys(settingLabels) as Setting[]).map((key) => ({
  key,
  label: settingLabels[key],
  description: accountClassSettingsSchema.shape[key].description ?? '',
}));

type AccountClassFormValues = Record<Setting, boolean> & {
  name: string;
  description: string;
};

/** Creates an account class, or changes one (`accountClass` given). */
export function AccountClassDialog({ accountClass, onClose }: { accountClass?: AccountClass; onClose: () => void }) {
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<AccountClassFormValues>({
    mode: 'controlled',
    initialValues: {
      name: accountClass?.name ?? '',
      description: accountClass?.description ?? '',
      autoSendInvite: accountClass?.autoSendInvite ?? false,
      allowSelfRegistration: accountClass?.allowSelfRegistration ?? false,
      requireMfa: accountClass?.requireMfa ?? false,
    },
    validate: schemaResolver(accountClassInputSchema, { sync: true }),
  });
  const onError = (error: unknown) =>
    setFailure(showServerErrors(form, error, { ACCOUNT_CLASS_NAME_TAKEN: 'name' }) ? null : error);
  const create = useActionMutation('directory.createAccountClass', {
    invalidates: accountClassChangeInvalidates,
    onSuccess: (saved) => {
      notifySaved(`Account class ${saved.name} created`);
      onClose();
    },
    onError,
  });
  const update = useActionMutation('directory.updateAccountClass', {
    invalidates: accountClassChangeInvalidates,
    onSuccess: (saved) => {
      notifySaved(`Account class ${saved.name} saved`);
      onClose();
    },
    onError,
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={accountClass ? `Edit account class ${accountClass.name}` : 'New account class'}
      centered
    >
      <form
        onSubmit={form.onSubmit((values) => {
          setFailure(null);
          const input = { ...values, description: values.description.trim() || null };
          if (accountClass) update.mutate({ accountClassId: accountClass.id, ...input });
          else create.mutate(input);
        })}
        noValidate
      >
        <Stack gap="sm">
          <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
          <Textarea label="Description" autosize minRows={2} maxRows={6} {...form.getInputProps('description')} />
          {accountClassSettings.map((setting) => (
            <Switch
              key={setting.key}
              label={setting.label}
              description={setting.description}
              {...form.getInputProps(setting.key, { type: 'checkbox' })}
            />
          ))}
          {accountClass && (
            <Text size="sm" c="dimmed">
              Every account of this class follows the new settings as soon as you save.
            </Text>
          )}
          {failure ? <ErrorNotice error={failure} title="The account class was not saved" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending}>
              {accountClass ? 'Save' : 'Create class'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
