import { Code, Stack, Text } from '@mantine/core';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { actorSchema, type AuditEntry } from '@portal/contracts';
import type { ApiError } from '../../shared/api/api-error.ts';
import { actionQuery } from '../../shared/api/queries.ts';
import { useSession } from '../../shared/boot.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { CursorTable, type CursorPage } from '../../shared/tables/cursor-table.tsx';
import { returnCodeChangeLines } from './return-code-changes.ts';

// One audit trail table for every record that has one (an account and everything in it, a contact).

const entityNames: Record<AuditEntry['entity'], string> = {
  account: 'Account',
  'account-class': 'Account class',
  site: 'Site',
  project: 'Project',
  contact: 'Contact',
  access: 'Portal access',
  'access-scope': 'Access scope',
  'access-request': 'Access request',
  'system-options': 'System options',
  'invoice-reference': 'Invoice reference',
  document: 'Document',
  'file-type': 'File type',
  'return-codes': 'Return codes',
};

/** Actions whose words say what happened without naming the record: "Site created", "Contact archived". */
const plainActions = new Set(['created', 'updated', 'archived']);

/** Access and invitation steps, in staff's words; any other action shows as recorded. */
const actionWords: Record<string, string> = {
  'scope-changed': 'Scope changed',
  'mfa-required-changed': 'MFA requirement changed',
  'access-invited': 'Access: invited',
  'access-invited-again': 'Access: invited again',
  'access-enabled': 'Access: enabled',
  'access-disabled': 'Access: revoked',
  'access-none': 'Access: none',
  'login-enabled': 'Login enabled',
  'invitation-sent': 'Invitation sent',
  'invitation-cancelled': 'Invitation cancelled',
  'invitation-expired': 'Invitation expired',
  'password-reset': 'Password reset',
  'mfa-reset': 'MFA reset',
  'login-revoked': 'Login revoked, sessions ended',
  'login-reenabled': 'Login re-enabled',
  'self-registration-accepted': 'Self-registration accepted',
  'sharing-changed': 'Document sharing changed',
  'return-codes-changed': 'Return codes changed',
  'return-codes-reset': 'Return codes reset to the default',
  approved: 'Access request approved',
  rejected: 'Access request rejected',
};

/** What happened: "Site created", "Access: enabled", else the entity and its action as recorded. */
const whatHappened = (entry: AuditEntry) =>
  (!plainActions.has(entry.action) && actionWords[entry.action]) ||
  `${entityNames[entry.entity]} ${entry.action.replaceAll('-', ' ')}`;

/** Friendlier names of the fields the directory records; any other field shows as recorded. */
const fieldNames: Record<string, string> = {
  classId: 'class',
  consolidatedAccountId: 'consolidated account',
  siteId: 'site',
  archivedAt: 'archived',
  postalCode: 'postal code',
  firstName: 'first name',
  lastName: 'last name',
  fileTypeId: 'file type',
  sharedWithContactIds: 'shared with contacts',
  customerVisible: 'customer-visible',
  allowedContentTypes: 'accepted types',
  maxSizeBytes: 'size limit (bytes)',
  defaultList: 'default list',
};

const addressOrder = ['line1', 'line2', 'postalCode', 'city', 'country'];

function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}T/.test(value) ? formatDateTime(value) : value;
  if (typeof value === 'number') return String(value);
  // An address and the like: its parts that are set, in the order an address is written.
  if (typeof value === 'object' && !Array.isArray(value)) {
    const rank = (key: string) => {
      const place = addressOrder.indexOf(key);
      return place === -1 ? addressOrder.length : place;
    };
    const parts = Object.entries(value)
      .filter(([, part]) => part !== null && part !== undefined && part !== '')
      .sort(([a], [b]) => rank(a) - rank(b))
      .map(([, part]) => valueText(part));
    return parts.length > 0 ? parts.join(', ') : '—';
  }
  return JSON.stringify(value);
}

/** An id field's value as the thing it names (a site's code, a class's name), looked up by id. */
function ReferenceText({ field, id }: { field: string; id: string }) {
  const site = useQuery({ ...actionQuery('directory.getSite', { siteId: id }), enabled: field === 'siteId' });
  const accountClass = useQuery({
    ...actionQuery('directory.getAccountClass', { accountClassId: id }),
    enabled: field === 'classId',
  });
  const account = useQuery({
    ...actionQuery('directory.getAccount', { accountId: id }),
    enabled: field === 'consolidatedAccountId',
  });
  const name = site.data
    ? `${site.data.code} · ${site.data.name}`
    : accountClass.data
      ? accountClass.data.name
      : account.data
        ? `${account.data.name} (${account.data.number})`
        : null;
  // A deleted class or an id the lookup cannot find still shows, shortened.
  return <span title={id}>{name ?? `${id.slice(0, 8)}…`}</span>;
}

const referenceFields = new Set(['siteId', 'classId', 'consolidatedAccountId']);

function ChangeValue({ field, value }: { field: string; value: unknown }) {
  if (referenceFields.has(field) && typeof value === 'string' && value !== '') {
    return <ReferenceText field={field} id={value} />;
  }
  return <>{valueText(value)}</>;
}

function Changes({ entry }: { entry: AuditEntry }) {
  const fields = Object.entries(entry.changes);
  if (fields.length === 0) return <Text size="sm">—</Text>;
  return (
    <Stack component="ul" gap={2} m={0} p={0} style={{ listStyle: 'none' }}>
      {fields.map(([field, { from, to }]) => {
        // A return-code list reads as what was added, removed or changed, not as two lists.
        const lines = entry.entity === 'return-codes' && field === 'codes' ? returnCodeChangeLines(from, to) : null;
        if (lines) {
          return lines.map((line) => (
            <Text component="li" size="sm" key={`${field}:${line}`}>
              {line}
            </Text>
          ));
        }
        return (
          <Text component="li" size="sm" key={field}>
            <Text span fw={500} size="sm">
              {fieldNames[field] ?? field}
            </Text>
            :{' '}
            {from === undefined || from === null ? null : (
              <>
                <ChangeValue field={field} value={from} /> →{' '}
              </>
            )}
            <ChangeValue field={field} value={to} />
          </Text>
        );
      })}
    </Stack>
  );
}

interface AuditTrailTableProps {
  entries: UseQueryResult<CursorPage<AuditEntry>, ApiError>;
  cursor: string | undefined;
  onCursorChange: (cursor: string | undefined) => void;
  /** What the trail covers, said when it is still empty. */
  empty: ReactNode;
}

/** When, who (the signed-in person as "You"), what, the changes field by field, and the request it came from. */
export function AuditTrailTable({ entries, cursor, onCursorChange, empty }: AuditTrailTableProps) {
  const me = useSession().user.id;
  /** Who, as far as the entry says: staff and contacts are ids here, so the signed-in person is named "You". */
  const actorText = (actor: unknown): { text: string; id?: string } => {
    const parsed = actorSchema.safeParse(actor);
    if (!parsed.success) return { text: 'Unknown' };
    const who = parsed.data;
    if (who.kind === 'system') return { text: `System (${who.component})` };
    if (who.kind === 'contact') return { text: `Contact ${who.contactId.slice(0, 8)}`, id: who.contactId };
    return { text: who.userId === me ? 'You' : `Staff user ${who.userId.slice(0, 8)}`, id: who.userId };
  };

  return (
    <CursorTable<AuditEntry>
      label="Audit trail"
      query={entries}
      cursor={cursor}
      onCursorChange={onCursorChange}
      empty={empty}
      columns={[
        {
          accessor: 'occurredAt',
          title: 'When',
          render: (entry) => <Text size="sm">{formatDateTime(entry.occurredAt)}</Text>,
        },
        {
          accessor: 'actor',
          title: 'Who',
          render: (entry) => {
            const who = actorText(entry.actor);
            return (
              <Text size="sm" title={who.id}>
                {who.text}
              </Text>
            );
          },
        },
        {
          accessor: 'action',
          title: 'What',
          render: (entry) => (
            <Stack gap={0}>
              <Text size="sm">{whatHappened(entry)}</Text>
              <Text size="xs" c="dimmed" title={entry.entityId}>
                {entry.contactId && entry.entity !== 'contact' ? `contact ${entry.contactId.slice(0, 8)} · ` : ''}
                id {entry.entityId.slice(0, 8)}
              </Text>
            </Stack>
          ),
        },
        {
          accessor: 'changes',
          title: 'Changes',
          render: (entry) => <Changes entry={entry} />,
        },
        {
          accessor: 'requestId',
          title: 'From',
          render: (entry) => (
            <Stack gap={0}>
              <Text size="xs">{entry.sourceIp ?? '—'}</Text>
              {entry.requestId && (
                <Text size="xs" c="dimmed">
                  request <Code fz="xs">{entry.requestId}</Code>
                </Text>
              )}
            </Stack>
          ),
        },
      ]}
    />
  );
}
