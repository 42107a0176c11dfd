import { Button, Checkbox, Group, Text, Tooltip } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { AccessStatus, ActionName } from '@portal/contracts';
import { useActionMutation } from '../../shared/api/queries.ts';
import { formatDateTime } from '../../shared/format/dates.ts';
import { useCan } from '../../shared/session/permissions.ts';
import { notifyFailed, notifySaved } from '../../shared/feedback/notify.tsx';
import { ConfirmDialog } from '../../shared/feedback/confirm-dialog.tsx';
import { OneTimePasswordDialog, type IssuedPassword } from './one-time-password-dialog.tsx';

/** The contact an access change is about, as any list or page has it at hand. */
export interface AccessSubject {
  contactId: string;
  name: string;
  email: string | null;
  status: AccessStatus;
}

/** Every view an access change may alter: the contact, the lists it appears in, its trail and what it sees. */
export const accessViews = [
  'directory.getContact',
  'directory.listContacts',
  'directory.listPortalAccess',
  'directory.listContactAudit',
  'directory.listAccountAudit',
  'directory.listVisibleProjects',
  'identity.listInvitations',
] as const satisfies readonly ActionName[];

type Confirmable = 'enable' | 'resetPassword' | 'resetMfa' | 'revoke' | 'cancelInvite';

/**
 * The access lifecycle's operations for one screen: the calls, their confirmations and the
 * one-time password dialog. It lives at the screen, not in a table row, so a row that leaves the
 * list as its status changes (a filtered Portal tab) cannot take the password dialog with it.
 */
export function useAccessOperations() {
  const [confirming, setConfirming] = useState<{ kind: Confirmable; subject: AccessSubject } | null>(null);
  const [temporary, setTemporary] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  // The generated password lives here only while its dialog is open; "Done" drops it.
  const [issued, setIssued] = useState<IssuedPassword | null>(null);

  // gcTime 0 and reset() after use: a mutation's result (the password) is not kept in the mutation cache.
  const enable = useActionMutation('identity.enableAccess', { invalidates: accessViews, gcTime: 0 });
  const resetPassword = useActionMutation('identity.resetPassword', { invalidates: accessViews, gcTime: 0 });
  const reenable = useActionMutation('identity.reenableAccess', { invalidates: accessViews });
  const invite = useActionMutation('identity.inviteContact', { invalidates: accessViews });
  const resendInvite = useActionMutation('identity.resendInvitation', { invalidates: accessViews });
  const cancelInvite = useActionMutation('identity.cancelInvitation', { invalidates: accessViews });
  const resetMfa = useActionMutation('identity.resetMfa', { invalidates: accessViews });
  const revoke = useActionMutation('identity.revokeAccess', { invalidates: accessViews });

  const ask = (kind: Confirmable) => (subject: AccessSubject) => {
    setFailure(null);
    setTemporary(false);
    setConfirming({ kind, subject });
  };
  const close = () => setConfirming(null);

  /** Runs a confirmed change: on success the dialog closes and a notification says what happened. */
  async function confirmed<T>(run: () => Promise<T>, after: (result: T) => void) {
    setFailure(null);
    try {
      const result = await run();
      setConfirming(null);
      after(result);
    } catch (error) {
      setFailure(error);
    }
  }

  /** A change without a confirmation: its result or refusal arrives as a notification. */
  async function direct<T>(run: () => Promise<T>, done: (result: T) => string, failedTitle: string) {
    try {
      notifySaved(done(await run()));
    } catch (error) {
      notifyFailed(failedTitle, error);
    }
  }

  const pendingFor = {
    enable: enable.isPending ? enable.variables?.contactId : undefined,
    reenable: reenable.isPending ? reenable.variables?.contactId : undefined,
    invite: invite.isPending ? invite.variables?.contactId : undefined,
    resendInvite: resendInvite.isPending ? resendInvite.variables?.contactId : undefined,
    cancelInvite: cancelInvite.isPending ? cancelInvite.variables?.contactId : undefined,
    resetPassword: resetPassword.isPending ? resetPassword.variables?.contactId : undefined,
    resetMfa: resetMfa.isPending ? resetMfa.variables?.contactId : undefined,
    revoke: revoke.isPending ? revoke.variables?.contactId : undefined,
  };

  const subject = confirming?.subject;
  const temporaryChoice = (
    <Checkbox
      label="The contact must choose a new password at the first sign-in"
      checked={temporary}
      onChange={(event) => setTemporary(event.currentTarget.checked)}
    />
  );

  let dialog: ReactNode = null;
  if (confirming && subject) {
    const common = { error: failure, onClose: close };
    switch (confirming.kind) {
      case 'enable':
        dialog = (
          <ConfirmDialog
            {...common}
            title="Enable portal access"
            confirmLabel="Enable access"
            pending={enable.isPending}
            onConfirm={() =>
              void confirmed(
                () => enable.mutateAsync({ contactId: subject.contactId, temporary }),
                (result) => {
                  enable.reset();
                  setIssued({
                    contactName: subject.name,
                    login: result.contact.email ?? subject.email ?? '',
                    password: result.credentials.password,
                    temporary: result.credentials.temporary,
                  });
                  notifySaved(`Portal access enabled for ${subject.name}.`);
                },
              )
            }
          >
            <Text size="sm">
              {subject.name} gets a portal login for <strong>{subject.email}</strong> with a generated password. You see
              the password once, on the next screen.
            </Text>
            {temporaryChoice}
          </ConfirmDialog>
        );
        break;
      case 'resetPassword':
        dialog = (
          <ConfirmDialog
            {...common}
            title="Reset password"
            confirmLabel="Generate a new password"
            pending={resetPassword.isPending && resetPassword.variables?.delivery === 'generated'}
            onConfirm={() =>
              void confirmed(
                () => resetPassword.mutateAsync({ contactId: subject.contactId, delivery: 'generated', temporary }),
                (result) => {
                  resetPassword.reset();
                  if (result.credentials) {
                    setIssued({
                      contactName: subject.name,
                      login: subject.email ?? '',
                      password: result.credentials.password,
                      temporary: result.credentials.temporary,
                    });
                  }
                  notifySaved(`A new password was set for ${subject.name}.`);
                },
              )
            }
            extraActions={
              <Button
                variant="light"
                loading={resetPassword.isPending && resetPassword.variables?.delivery === 'email'}
                onClick={() =>
                  void confirmed(
                    () => resetPassword.mutateAsync({ contactId: subject.contactId, delivery: 'email', temporary }),
                    () => {
                      resetPassword.reset();
                      notifySaved(`A link to choose a new password was sent to ${subject.email}.`);
                    },
                  )
                }
              >
                E-mail a reset link
              </Button>
            }
          >
            <Text size="sm">
              The current password of {subject.name} stops working. Generate a new one (shown to you once), or e-mail{' '}
              {subject.email} a link to choose one.
            </Text>
            {temporaryChoice}
          </ConfirmDialog>
        );
        break;
      case 'resetMfa':
        dialog = (
          <ConfirmDialog
            {...common}
            title="Reset MFA"
            confirmLabel="Reset MFA"
            danger
            pending={resetMfa.isPending}
            onConfirm={() =>
              void confirmed(
                () => resetMfa.mutateAsync({ contactId: subject.contactId }),
                () => notifySaved(`MFA reset for ${subject.name}: the next sign-in sets up an authenticator again.`),
              )
            }
          >
            {`${subject.name}'s authenticator is removed and their sessions end; if MFA is required, the next sign-in asks them to set one up again.`}
          </ConfirmDialog>
        );
        break;
      case 'revoke':
        dialog = (
          <ConfirmDialog
            {...common}
            title="Revoke portal access"
            confirmLabel="Revoke access"
            danger
            pending={revoke.isPending}
            onConfirm={() =>
              void confirmed(
                () => revoke.mutateAsync({ contactId: subject.contactId }),
                () => notifySaved(`Access revoked: ${subject.name} is signed out within seconds.`),
              )
            }
          >
            {`${subject.name} is signed out of the portal within seconds and can no longer sign in. You can re-enable access later; the password stays the same.`}
          </ConfirmDialog>
        );
        break;
      case 'cancelInvite':
        dialog = (
          <ConfirmDialog
            {...common}
            title="Cancel invitation"
            confirmLabel="Cancel invitation"
            danger
            pending={cancelInvite.isPending}
            onConfirm={() =>
              void confirmed(
                () => cancelInvite.mutateAsync({ contactId: subject.contactId }),
                () => notifySaved(`Invitation of ${subject.name} cancelled.`),
              )
            }
          >
            {`The link sent to ${subject.email ?? 'the contact'} stops working and ${subject.name} has no portal access. You can invite them again later.`}
          </ConfirmDialog>
        );
        break;
    }
  }

  return {
    enable: ask('enable'),
    resetPassword: ask('resetPassword'),
    resetMfa: ask('resetMfa'),
    revoke: ask('revoke'),
    cancelInvite: ask('cancelInvite'),
    reenable: (subject: AccessSubject) =>
      void direct(
        () => reenable.mutateAsync({ contactId: subject.contactId }),
        () => `Portal access re-enabled for ${subject.name}; the previous password works again.`,
        'Access was not re-enabled',
      ),
    invite: (subject: AccessSubject) =>
      void direct(
        () => invite.mutateAsync({ contactId: subject.contactId }),
        (invitation) =>
          `Invitation sent to ${invitation.email}; the link works until ${formatDateTime(invitation.expiresAt)}.`,
        'The invitation was not sent',
      ),
    resendInvite: (subject: AccessSubject) =>
      void direct(
        () => resendInvite.mutateAsync({ contactId: subject.contactId }),
        (invitation) =>
          `Invitation sent again to ${invitation.email}; the new link works until ${formatDateTime(invitation.expiresAt)}.`,
        'The invitation was not sent again',
      ),
    /** Whether an operation is running for this contact (its button shows a spinner). */
    pending: (operation: keyof typeof pendingFor, contactId: string) => pendingFor[operation] === contactId,
    dialogs: (
      <>
        {dialog}
        {issued && <OneTimePasswordDialog issued={issued} onDone={() => setIssued(null)} />}
      </>
    ),
  };
}

export type AccessOperations = ReturnType<typeof useAccessOperations>;

/**
 * The access actions that fit the contact's status, for the Portal tab's rows and the contact's
 * access tab alike. Hidden without `access:write`. In a row, each button's name also says whose it is.
 */
export function AccessActionButtons({
  subject,
  operations,
  withMfaReset = false,
  inRow = false,
}: {
  subject: AccessSubject;
  operations: AccessOperations;
  /** The contact page offers "Reset MFA" too; the Portal tab keeps rows short. */
  withMfaReset?: boolean;
  inRow?: boolean;
}) {
  const canWrite = useCan('access:write');
  if (!canWrite) return null;
  const size = inRow ? 'compact-sm' : 'sm';
  const named = (label: string) => (inRow ? { 'aria-label': `${label} for ${subject.name}` } : {});
  const button = (
    label: string,
    operation: Parameters<AccessOperations['pending']>[0],
    onClick: () => void,
    options: { danger?: boolean; disabledReason?: string | null; primary?: boolean } = {},
  ) => {
    const control = (
      <Button
        key={label}
        size={size}
        variant={options.primary ? 'filled' : options.danger ? 'light' : 'default'}
        color={options.danger ? 'red' : undefined}
        loading={operations.pending(operation, subject.contactId)}
        disabled={Boolean(options.disabledReason)}
        onClick={onClick}
        {...named(label)}
      >
        {label}
      </Button>
    );
    return options.disabledReason ? (
      <Tooltip key={label} label={options.disabledReason} withArrow>
        <span>{control}</span>
      </Tooltip>
    ) : (
      control
    );
  };
  const noEmail = subject.email ? null : 'The contact needs an e-mail address first.';
  const buttons: ReactNode[] = [];
  switch (subject.status) {
    case 'none':
      buttons.push(
        button('Enable', 'enable', () => operations.enable(subject), { primary: !inRow, disabledReason: noEmail }),
      );
      break;
    case 'invited':
      buttons.push(button('Resend invite', 'resendInvite', () => operations.resendInvite(subject)));
      buttons.push(button('Cancel invite', 'cancelInvite', () => operations.cancelInvite(subject), { danger: true }));
      break;
    case 'enabled':
      buttons.push(button('Reset password', 'resetPassword', () => operations.resetPassword(subject)));
      if (withMfaReset) buttons.push(button('Reset MFA', 'resetMfa', () => operations.resetMfa(subject)));
      buttons.push(button('Revoke', 'revoke', () => operations.revoke(subject), { danger: true }));
      break;
    case 'disabled':
      buttons.push(
        button('Re-enable', 'reenable', () => operations.reenable(subject), {
          primary: !inRow,
          disabledReason: noEmail,
        }),
      );
      if (withMfaReset) buttons.push(button('Reset MFA', 'resetMfa', () => operations.resetMfa(subject)));
      break;
  }
  return (
    <Group gap={6} wrap={inRow ? 'nowrap' : 'wrap'}>
      {buttons}
    </Group>
  );
}

/** A short line on what the status allows, for the contact's access tab. */
export function accessStatusHint(status: AccessStatus): string {
  switch (status) {
    case 'none':
      return 'No portal login. Enable access with a generated password, or send an invitation from the Details tab.';
    case 'invited':
      return 'An invitation e-mail is pending; its link lets the contact choose a password.';
    case 'enabled':
      return 'The contact can sign in to the portal.';
    case 'disabled':
      return 'Access was revoked: the login is disabled. Re-enabling restores it with the same password.';
  }
}
