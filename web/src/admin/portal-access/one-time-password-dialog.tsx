import { ActionIcon, Alert, Button, CopyButton, Group, Modal, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';

/** A generated password as staff see it once: held in component state only, dropped when the dialog closes. */
export interface IssuedPassword {
  contactName: string;
  /** The portal login's username: the contact's e-mail. */
  login: string;
  password: string;
  temporary: boolean;
}

function CopyField({ label, value, copyLabel }: { label: string; value: string; copyLabel: string }) {
  return (
    <TextInput
      label={label}
      value={value}
      readOnly
      styles={{ input: { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' } }}
      onFocus={(event) => event.currentTarget.select()}
      rightSectionWidth={42}
      rightSection={
        <CopyButton value={value} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : copyLabel} withArrow position="left">
              <ActionIcon
                variant={copied ? 'filled' : 'subtle'}
                color={copied ? 'green' : 'gray'}
                aria-label={copyLabel}
                onClick={copy}
              >
                {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      }
    />
  );
}

/**
 * Shows a generated password with its login, each with a Copy button. The portal keeps no copy:
 * the caller holds it in state only while this is open and forgets it on "Done".
 */
export function OneTimePasswordDialog({ issued, onDone }: { issued: IssuedPassword; onDone: () => void }) {
  return (
    <Modal
      opened
      onClose={onDone}
      title={`Password for ${issued.contactName}`}
      centered
      closeOnClickOutside={false}
      size="lg"
    >
      <Stack gap="sm">
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Shown only once">
          Copy the password now and give it to the contact through a safe channel. Once you close this dialog it cannot
          be shown again; the portal keeps no copy. If it is lost, reset the password.
        </Alert>
        <CopyField label="Login (e-mail)" value={issued.login} copyLabel="Copy login" />
        <CopyField label="Password" value={issued.password} copyLabel="Copy password" />
        <Text size="sm" c="dimmed">
          {issued.temporary
            ? 'The contact must choose a new password at the first sign-in.'
            : 'The contact signs in to the portal with this e-mail and password.'}
        </Text>
        <Group justify="flex-end">
          <Button onClick={onDone} data-autofocus>
            Done
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
