import { MultiSelect, Radio, Stack } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import type { DocumentSharing, FileType } from '@portal/contracts';
import { allContactsQuery, contactNameOf } from '../contacts/account-directory.ts';

/** Sharing in a person's words, for the form and for the document page. */
export const sharingLabels: Record<DocumentSharing, string> = {
  'by-file-type': 'By file type',
  internal: 'Internal only',
  contacts: 'Only these contacts',
};

/** What each sharing means for who sees the document in the portal. */
export function sharingHelp(sharing: DocumentSharing, fileType: FileType | undefined): string {
  if (sharing === 'internal') return 'Staff only; never shown in the portal.';
  if (sharing === 'contacts') return 'Only the chosen contacts see it in the portal, if they can see where it belongs.';
  if (!fileType) return 'Customers see it when its file type is customer-visible.';
  return fileType.customerVisible
    ? `Contacts who can see where it belongs see it: ${fileType.name} is customer-visible.`
    : `Staff only for now: ${fileType.name} is not customer-visible.`;
}

/** The form fields sharing needs; a form holding them can use `SharingFields`. */
export type SharingValues = {
  sharing: DocumentSharing;
  sharedWithContactIds: string[];
};

/** The account's live contacts as options (named), for "Only these contacts" and for requests. */
export function useContactOptions(accountId: string) {
  const contacts = useQuery(allContactsQuery(accountId));
  const items = contacts.data?.items ?? [];
  return {
    options: items.map((contact) => ({
      value: contact.id,
      label: contact.email ? `${contactNameOf(contact)} (${contact.email})` : contactNameOf(contact),
    })),
    nameOf: (contactId: string) => {
      const contact = items.find((candidate) => candidate.id === contactId);
      return contact ? contactNameOf(contact) : null;
    },
    loading: contacts.isPending,
    error: contacts.error,
  };
}

/** What a contacts picker says when it offers nothing: all are chosen, or none matches the typing. */
export const everyContactChosen = (chosen: readonly string[], options: readonly { value: string }[]) =>
  options.length > 0 && options.every((option) => chosen.includes(option.value))
    ? 'Every contact is chosen'
    : 'No contact matches';

/** "Sharing": by file type (the default), internal only, or only the chosen contacts of the account. */
export function SharingFields<Values extends SharingValues>({
  form,
  accountId,
  fileType,
}: {
  form: UseFormReturnType<Values>;
  accountId: string;
  fileType: FileType | undefined;
}) {
  const contacts = useContactOptions(accountId);
  const sharing = form.getValues().sharing;
  return (
    <Stack gap="xs">
      <Radio.Group label="Sharing" description={sharingHelp(sharing, fileType)} {...form.getInputProps('sharing')}>
        <Stack gap={6} mt={6}>
          {(Object.keys(sharingLabels) as DocumentSharing[]).map((value) => (
            <Radio key={value} value={value} label={sharingLabels[value]} />
          ))}
        </Stack>
      </Radio.Group>
      {sharing === 'contacts' && (
        <MultiSelect
          label="Contacts"
          placeholder={contacts.loading ? 'Loading contacts…' : 'Choose contacts'}
          data={contacts.options}
          searchable
          hidePickedOptions
          required
          nothingFoundMessage={everyContactChosen(form.getValues().sharedWithContactIds, contacts.options)}
          {...form.getInputProps('sharedWithContactIds')}
          error={form.errors['sharedWithContactIds'] ?? contacts.error?.message}
        />
      )}
    </Stack>
  );
}
