import { Alert, Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconArchive, IconMailForward } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { contactUpdateSchema, type Contact } from '@portal/contracts';
import { ApiError } from '../../shared/api/api-error.ts';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { showServerErrors } from '../../shared/forms/server-errors.ts';
import { useCan } from '../../shared/session/permissions.ts';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { ConfirmDialog } from '../../shared/feedback/confirm-dialog.tsx';
import { accessViews, useAccessOperations, type AccessOperations } from '../portal-access/access-operations.tsx';
import { allSitesQuery, contactNameOf } from './account-directory.ts';
import { blanksAsNull, ContactFields, contactResolver, formValuesOf, type ContactFormValues } from './contact-form.tsx';
import { contactRoute } from './contact-layout.tsx';

const updateInput = z.preprocess(blanksAsNull, contactUpdateSchema);
const validEmail = z.email();
const editable = ['firstName', 'lastName', 'email', 'phone', 'title', 'siteId'] as const;

/** `/contacts/$contactId`: the contact's own fields, archiving, and the portal invitation. */
export const contactDetailsRoute = createRoute({
  getParentRoute: () => contactRoute,
  path: '/',
  component: ContactDetailsTab,
});

function ContactDetailsTab() {
  const { contactId } = contactDetailsRoute.useParams();
  const contact = useQuery(actionQuery('directory.getContact', { contactId }));
  if (contact.isPending) return <LoadingState label="Loading the contact" />;
  if (contact.error) return <ErrorNotice error={contact.error} onRetry={() => void contact.refetch()} />;
  return <ContactDetails contact={contact.data} />;
}

function ContactDetails({ contact }: { contact: Contact }) {
  const canWrite = useCan('directory:write');
  const readOnly = !canWrite || contact.archivedAt !== null;
  const sites = useQuery(allSitesQuery(contact.accountId));
  const operations = useAccessOperations();
  const [failure, setFailure] = useState<unknown>(null);
  const [archiving, setArchiving] = useState(false);
  const form = useForm<ContactFormValues>({
    mode: 'controlled',
    initialValues: formValuesOf(contact),
    validate: contactResolver(contactUpdateSchema),
  });

  // A change saved elsewhere (another tab, another person) shows here, unless the person is editing.
  useEffect(() => {
    if (form.isDirty()) return;
    form.setInitialValues(formValuesOf(contact));
    form.setValues(formValuesOf(contact));
  }, [contact.updatedAt]);

  const save = useActionMutation('directory.updateContact', {
    // A saved e-mail or site changes the login and what the contact sees: the same views as an access change.
    invalidates: accessViews,
    onSuccess: (saved) => {
      form.setInitialValues(formValuesOf(saved));
      form.setValues(formValuesOf(saved));
      notifySaved(`Changes to ${contactNameOf(saved)} saved.`);
    },
    onError: (error) =>
      setFailure(
        showServerErrors(form, error, {
          CONTACT_EMAIL_TAKEN: 'email',
          PORTAL_LOGIN_TAKEN: 'email',
          CONTACT_EMAIL_REQUIRED: 'email',
          SITE_NOT_IN_ACCOUNT: 'siteId',
        })
          ? null
          : error,
      ),
  });
  const archive = useActionMutation('directory.archiveContact', {
    invalidates: [
      'directory.getContact',
      'directory.listContacts',
      'directory.listPortalAccess',
      'directory.listContactAudit',
    ],
    onSuccess: (archived) => {
      setArchiving(false);
      notifySaved(`${contactNameOf(archived)} archived.`);
    },
  });

  return (
    <Stack gap="lg">
      {contact.archivedAt && (
        <Alert color="gray" variant="light" title="Archived">
          Archived on {formatDateTime(contact.archivedAt)}. The contact is kept for its history and can no longer be
          changed.
        </Alert>
      )}
      <form
        aria-label="Contact details"
        onSubmit={form.onSubmit((values) => {
          setFailure(null);
          const input = updateInput.parse(values);
          const changes = Object.fromEntries(
            editable.filter((key) => input[key] !== contact[key]).map((key) => [key, input[key]]),
          );
          save.mutate({ ...changes, contactId: contact.id });
        })}
        noValidate
      >
        <Stack gap="sm">
          <ContactFields
            form={form}
            sites={sites.data?.items ?? []}
            sitesLoading={sites.isPending}
            readOnly={readOnly}
          />
          {sites.error ? <ErrorNotice error={sites.error} title="The sites could not be loaded" /> : null}
          {failure ? <ErrorNotice error={failure} title="The changes were not saved" /> : null}
          {!readOnly && (
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Button
                variant="subtle"
                color="red"
                leftSection={<IconArchive size={16} aria-hidden />}
                onClick={() => {
                  archive.reset();
                  setArchiving(true);
                }}
              >
                Archive contact
              </Button>
              <Group gap="xs">
                {form.isDirty() && (
                  <Button variant="default" onClick={() => form.reset()}>
                    Discard changes
                  </Button>
                )}
                <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
                  Save
                </Button>
              </Group>
            </Group>
          )}
        </Stack>
      </form>
      <PortalInvitation contact={contact} unsaved={form.isDirty()} operations={operations} />
      {operations.dialogs}
      {archiving && (
        <ConfirmDialog
          title="Archive contact"
          confirmLabel="Archive contact"
          danger
          pending={archive.isPending}
          error={archive.error?.code === 'CONTACT_HAS_ACTIVE_ACCESS' ? null : archive.error}
          onConfirm={() => archive.mutate({ contactId: contact.id })}
          onClose={() => setArchiving(false)}
        >
          <Text size="sm">
            {contactNameOf(contact)} leaves the account&apos;s lists and can no longer be changed. The contact and its
            history are kept.
          </Text>
          {archive.error instanceof ApiError && archive.error.code === 'CONTACT_HAS_ACTIVE_ACCESS' && (
            <Alert color="red" variant="light" title="Portal access is still active" role="alert">
              <Stack gap={6}>
                <Text size="sm">
                  {archive.error.message} The contact&apos;s access is {contact.access.status}: revoke it (or cancel the
                  invitation) first.
                </Text>
                <Anchor component={Link} to={`/contacts/${contact.id}/access`} size="sm">
                  Open Customer Portal Access
                </Anchor>
              </Stack>
            </Alert>
          )}
        </ConfirmDialog>
      )}
    </Stack>
  );
}

/** Why "Send portal invite" cannot be used now, or null when it can. */
function inviteBlockedBecause(contact: Contact, unsaved: boolean): string | null {
  if (unsaved) return 'Save or discard your changes first: the invitation goes to the saved e-mail address.';
  if (!contact.email || !validEmail.safeParse(contact.email).success)
    return 'Add a valid e-mail address and save it first: it becomes the portal login.';
  return null;
}

function PortalInvitation({
  contact,
  unsaved,
  operations,
}: {
  contact: Contact;
  unsaved: boolean;
  operations: AccessOperations;
}) {
  const canInvite = useCan('access:write');
  const { access } = contact;
  const subject = { contactId: contact.id, name: contactNameOf(contact), email: contact.email, status: access.status };
  const blocked = inviteBlockedBecause(contact, unsaved);
  return (
    <Paper withBorder p="md" radius="sm" component="section" aria-labelledby="portal-invitation-heading">
      <Stack gap="xs">
        <Title order={2} size="h4" id="portal-invitation-heading">
          Portal invitation
        </Title>
        {access.status === 'invited' ? (
          <>
            <Text size="sm">
              Invitation sent to <strong>{contact.email}</strong> on {formatDateTime(access.invitedAt)}. The link works
              until {formatDateTime(access.inviteExpiresAt)}.
            </Text>
            {canInvite && !contact.archivedAt && (
              <Group gap="xs">
                <Button
                  variant="default"
                  loading={operations.pending('resendInvite', contact.id)}
                  onClick={() => operations.resendInvite(subject)}
                >
                  Resend invite
                </Button>
                <Button variant="light" color="red" onClick={() => operations.cancelInvite(subject)}>
                  Cancel invite
                </Button>
              </Group>
            )}
          </>
        ) : access.status === 'enabled' ? (
          <Text size="sm">
            The contact has portal access since {formatDateTime(access.enabledAt)}.{' '}
            <Anchor component={Link} to={`/contacts/${contact.id}/access`} inherit>
              Manage it on the Customer Portal Access tab.
            </Anchor>
          </Text>
        ) : (
          <>
            <Text size="sm" c="dimmed">
              {access.status === 'disabled'
                ? 'Portal access was revoked. An invitation lets the contact choose a new password and sign in again.'
                : 'An invitation e-mail lets the contact choose a password and sign in to the portal.'}
            </Text>
            {canInvite && !contact.archivedAt && (
              <Stack gap={4} align="flex-start">
                <Button
                  leftSection={<IconMailForward size={16} aria-hidden />}
                  disabled={blocked !== null}
                  loading={operations.pending('invite', contact.id)}
                  onClick={() => operations.invite(subject)}
                  aria-describedby={blocked ? 'invite-blocked-reason' : undefined}
                >
                  Send portal invite
                </Button>
                {blocked && (
                  <Text size="xs" c="dimmed" id="invite-blocked-reason">
                    {blocked}
                  </Text>
                )}
              </Stack>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
