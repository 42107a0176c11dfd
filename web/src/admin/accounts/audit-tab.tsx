import { Code, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import { z } from 'zod';
import { actorSchema, type AuditEntry } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';
import { useSession } from '../../shared/boot.tsx';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { accountRoute } from './account-layout.tsx';

const auditSearchSchema = z.object({ cursor: z.string().optional().catch(undefined) });
type AuditSearch = z.infer<typeof auditSearchSchema>;

/** `/accounts/$accountId/audit`: who changed what in the account and everything in it, newest first. */
export const accountAuditRoute = createRoute({
  getParentRoute: () => accountRoute,
  path: 'audit',
  validateSearch: auditSearchSchema,
  component: AuditTab,
});

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
};

/** "scope-changed" → "scope changed". */
const actionName = (action: string) => action.replaceAll('-', ' ');

/** Friendlier names of the fields the directory records; any other field shows as recorded. */
const fieldNames: Record<string, string> = {
  classId: 'class',
  consolidatedAccountId: 'consolidated account',
  siteId: 'site',
  archivedAt: 'archived',
  postalCode: 'postal code',
  firstName: 'first name',
  lastName: 'last name',
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

function AuditTab() {
  const { accountId } = accountRoute.useParams();
  const search = accountAuditRoute.useSearch();
  const navigate = accountAuditRoute.useNavigate();
  const me = useSession().user.id;
  const entries = useQuery({
    ...actionQuery('directory.listAccountAudit', { accountId, cursor: search.cursor, limit: 25 }),
    placeholderData: keepPreviousData,
  });

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
      page={entries.data}
      fetching={entries.isFetching}
      error={entries.error}
      onRetry={() => void entries.refetch()}
      cursor={search.cursor}
      onCursorChange={(cursor) => void navigate({ search: (previous: AuditSearch) => ({ ...previous, cursor }) })}
      empty={
        <EmptyState title="No changes recorded yet">
          Every change to this account, its sites, projects, contacts and their portal access is listed here as it
          happens.
        </EmptyState>
      }
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
              <Text size="sm">
                {entityNames[entry.entity]} {actionName(entry.action)}
              </Text>
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
          render: (entry) => <Changes changes={entry.changes} />,
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

function Changes({ changes }: { changes: AuditEntry['changes'] }) {
  const fields = Object.entries(changes);
  if (fields.length === 0) return <Text size="sm">—</Text>;
  return (
    <Stack component="ul" gap={2} m={0} p={0} style={{ listStyle: 'none' }}>
      {fields.map(([field, { from, to }]) => (
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
      ))}
    </Stack>
  );
}
