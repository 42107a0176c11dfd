import { Anchor, Button, Group, Text } from '@mantine/core';
import { IconFileSpreadsheet } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import type { DownloadLogEntry } from '@portal/contracts';
import { downloadUrlOf } from '../../shared/api/action-client.ts';
import { actionQuery } from '../../shared/api/queries.ts';
import { useSession } from '../../shared/boot.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { contactNameOf } from '../contacts/account-directory.ts';

/** The log's filter: one document's downloads, or one contact's. */
type DownloadsFilter = { documentId: string } | { contactId: string };

/**
 * The download log, newest first, with "Export CSV" of the same filter: when, who (the signed-in
 * person as "You", other staff as "Staff", a contact by name), the version and the address.
 */
export function DownloadsLog({
  filter,
  cursor,
  onCursorChange,
  empty,
}: {
  filter: DownloadsFilter;
  cursor: string | undefined;
  onCursorChange: (cursor: string | undefined) => void;
  empty: ReactNode;
}) {
  const me = useSession().user.id;
  const byContact = 'contactId' in filter;
  const downloads = useQuery({
    ...actionQuery('documents.listDownloads', { ...filter, cursor, limit: 25 }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <Group justify="flex-end">
        <Button
          component="a"
          href={downloadUrlOf('documents.exportDownloads', filter)}
          download
          variant="default"
          leftSection={<IconFileSpreadsheet size={16} aria-hidden />}
        >
          Export CSV
        </Button>
      </Group>
      <CursorTable<DownloadLogEntry>
        label="Downloads"
        query={downloads}
        cursor={cursor}
        onCursorChange={onCursorChange}
        empty={empty}
        columns={[
          { accessor: 'downloadedAt', title: 'When', render: (entry) => formatDateTime(entry.downloadedAt) },
          ...(byContact
            ? []
            : [
                {
                  accessor: 'who',
                  title: 'Who',
                  render: (entry: DownloadLogEntry) =>
                    entry.actorKind === 'contact' && entry.contactId ? (
                      <ContactName contactId={entry.contactId} />
                    ) : entry.staffUserId === me ? (
                      'You'
                    ) : (
                      'Staff'
                    ),
                },
              ]),
          ...(byContact
            ? [
                {
                  accessor: 'documentTitle',
                  title: 'Document',
                  render: (entry: DownloadLogEntry) => (
                    <Anchor size="sm" renderRoot={(props) => <Link {...props} to={`/documents/${entry.documentId}`} />}>
                      {entry.documentTitle}
                    </Anchor>
                  ),
                },
              ]
            : []),
          { accessor: 'versionNumber', title: 'Version', render: (entry) => `v${entry.versionNumber}` },
          {
            accessor: 'sourceAddress',
            title: 'Address',
            render: (entry) =>
              entry.sourceAddress ?? (
                <Text size="sm" c="dimmed">
                  Not recorded
                </Text>
              ),
          },
        ]}
      />
    </>
  );
}

/** A contact's name, linked to the contact, from the directory. */
function ContactName({ contactId }: { contactId: string }) {
  const contact = useQuery(actionQuery('directory.getContact', { contactId }));
  if (contact.error) return <>Contact {contactId.slice(0, 8)}</>;
  if (!contact.data) return <>…</>;
  return (
    <Anchor size="sm" renderRoot={(props) => <Link {...props} to={`/contacts/${contactId}`} />}>
      {contactNameOf(contact.data)}
    </Anchor>
  );
}
