import { Alert, Button, Group, Modal, Radio, Select, Stack, Text, type OptionsFilter } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { AccessRequest } from '@portal/contracts';
import { ApiError } from '../../shared/api/api-error.ts';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { allSitesQuery, contactNameOf } from '../contacts/account-directory.ts';
import { siteOptionsOf } from '../contacts/contact-form.tsx';
import { notifySaved } from '../../shared/feedback/notify.tsx';

/** Options come from the server's search; Mantine's own filtering would hide what the server matched. */
const serverFiltered: OptionsFilter = ({ options }) => options;

/** A searchable select's options from a server-side search (accounts, contacts), the chosen one kept listed. */
function optionsWithChosen<T>(
  items: readonly T[] | undefined,
  chosen: { value: string; label: string } | null,
  optionOf: (item: T) => { value: string; label: string },
) {
  const options = (items ?? []).map(optionOf);
  if (chosen && !options.some((option) => option.value === chosen.value)) options.unshift(chosen);
  return options;
}

/**
 * Approving asks staff which account the requester belongs to, and whether to link one of its
 * contacts or create one from the request (optionally at a site); the contact is then invited.
 */
export function ApproveRequestDialog({ request, onClose }: { request: AccessRequest; onClose: () => void }) {
  const [account, setAccount] = useState<{ value: string; label: string } | null>(null);
  const [accountSearch, setAccountSearch] = useState('');
  const [debouncedAccountSearch] = useDebouncedValue(accountSearch.trim(), 250);
  const [mode, setMode] = useState<'create' | 'link'>('create');
  const [contact, setContact] = useState<{ value: string; label: string } | null>(null);
  const [contactSearch, setContactSearch] = useState('');
  const [debouncedContactSearch] = useDebouncedValue(contactSearch.trim(), 250);
  const [siteId, setSiteId] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const accounts = useQuery({
    ...actionQuery('directory.listAccounts', { search: debouncedAccountSearch || undefined, limit: 20 }),
    placeholderData: keepPreviousData,
  });
  const accountId = account?.value ?? '';
  const contacts = useQuery({
    ...actionQuery('directory.listContacts', { accountId, search: debouncedContactSearch || undefined, limit: 20 }),
    enabled: Boolean(accountId) && mode === 'link',
    placeholderData: keepPreviousData,
  });
  const sites = useQuery({ ...allSitesQuery(accountId), enabled: Boolean(accountId) && mode === 'create' });

  const approve = useActionMutation('identity.approveAccessRequest', {
    invalidates: [
      'identity.listAccessRequests',
      'identity.listInvitations',
      'directory.listContacts',
      'directory.listPortalAccess',
      'directory.getContact',
      'directory.listAccountAudit',
    ],
    onSuccess: (result) => {
      onClose();
      notifySaved(
        `Request of ${request.name} approved: an invitation was sent to ${result.invitation.email}, valid until ${formatDateTime(result.invitation.expiresAt)}.`,
      );
    },
    onError: (error) => {
      // The e-mail is already a contact of this account: offer to link that contact instead.
      if (error instanceof ApiError && error.code === 'CONTACT_EMAIL_TAKEN') {
        setMode('link');
        setContact(null);
        setContactSearch(request.email);
        setProblem(
          `${request.email} is already a contact of this account. Choose that contact below to link the request to it.`,
        );
        setFailure(null);
        return;
      }
      setFailure(error);
    },
  });

  // After a CONTACT_EMAIL_TAKEN the contact with the request's e-mail is the likely choice: pre-select it.
  const sameEmail = contacts.data?.items.find((item) => item.email === request.email.toLowerCase());
  useEffect(() => {
    if (problem && !contact && sameEmail) {
      setContact({ value: sameEmail.id, label: `${contactNameOf(sameEmail)} · ${sameEmail.email}` });
    }
  }, [problem, contact, sameEmail]);

  const accountOptions = optionsWithChosen(accounts.data?.items, account, (item) => ({
    value: item.id,
    label: `${item.name} (${item.number})`,
  }));
  const contactOptions = optionsWithChosen(contacts.data?.items, contact, (item) => ({
    value: item.id,
    label: `${contactNameOf(item)}${item.email ? ` · ${item.email}` : ''}`,
  }));
  const ready = Boolean(account) && (mode === 'create' || Boolean(contact));

  return (
    <Modal opened onClose={onClose} title="Approve access request" centered size="lg">
      <Stack gap="sm">
        <Text size="sm">
          <strong>{request.name}</strong> ({request.email}) of “{request.company}” asks for portal access. Approving
          sends them an invitation e-mail.
        </Text>
        <Select
          label="Account"
          description={`Search by name or number. The request says: ${request.company}`}
          placeholder="Search accounts"
          required
          searchable
          data-autofocus
          data={accountOptions}
          filter={serverFiltered}
          value={account?.value ?? null}
          searchValue={accountSearch}
          onSearchChange={setAccountSearch}
          onChange={(value, option) => {
            setAccount(value && option ? { value, label: option.label } : null);
            setContact(null);
            setSiteId(null);
            setProblem(null);
          }}
          nothingFoundMessage={accounts.isFetching ? 'Searching…' : 'No account matches'}
        />
        <Radio.Group
          label="Contact"
          value={mode}
          onChange={(value) => {
            setMode(value as 'create' | 'link');
            setProblem(null);
          }}
        >
          <Stack gap={6} mt={6}>
            <Radio value="create" label="Create a new contact from the request" />
            <Radio value="link" label="Link an existing contact of the account" />
          </Stack>
        </Radio.Group>
        {problem && (
          <Alert color="yellow" variant="light" role="alert">
            {problem}
          </Alert>
        )}
        {mode === 'link' ? (
          <Select
            label="Existing contact"
            placeholder={account ? 'Search by name or e-mail' : 'Choose the account first'}
            required
            searchable
            disabled={!account}
            data={contactOptions}
            filter={serverFiltered}
            value={contact?.value ?? null}
            searchValue={contactSearch}
            onSearchChange={setContactSearch}
            onChange={(value, option) => setContact(value && option ? { value, label: option.label } : null)}
            nothingFoundMessage={contacts.isFetching ? 'Searching…' : 'No contact matches'}
          />
        ) : (
          <Select
            label="Site (optional)"
            description="Empty: the new contact belongs to the whole account."
            placeholder={account ? 'Whole account (no site)' : 'Choose the account first'}
            disabled={!account}
            clearable
            searchable
            data={siteOptionsOf(sites.data?.items ?? [])}
            value={siteId}
            onChange={setSiteId}
          />
        )}
        {failure ? <ErrorNotice error={failure} title="The request was not approved" /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            disabled={!ready}
            loading={approve.isPending}
            onClick={() => {
              if (!account) return;
              setFailure(null);
              approve.mutate({
                requestId: request.id,
                accountId: account.value,
                ...(mode === 'link' && contact ? { contactId: contact.value } : { siteId }),
              });
            }}
          >
            Approve and invite
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
