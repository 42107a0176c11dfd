import { Code, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import { z } from 'zod';
import { actorSchema, type AuditEntry } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { contactRoute } from './contact-layout.tsx';

const auditSearchSchema = z.object({ cursor: z.string().optional().catch(undefined) });
type AuditSearch = z.infer<typeof auditSearchSchema>;

/** `/contacts/$contactId/audit`: the contact's trail, its access and scope included, newest first. */
export const contactAuditRoute = createRoute({
  getParentRoute: () => contactRoute,
  path: 'audit',
  validateSearch: auditSearchSchema,
  component: ContactAuditTab,
});

/** What happened, in staff's words; an action not listed shows as recorded. */
const actionWords: Record<string, string> = {
  created: 'Created',
  updated: 'Changed',
  archived: 'Archived',
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
  approved: 'Access request approved',
  rejected: 'Access request rejected',
};

function actorOf(actor: unknown): string {
  const parsed = actorSchema.safeParse(actor);
  if (!parsed.success) return 'Unknown';
  switch (parsed.data.kind) {
    case 'staff':
      return `Staff user ${parsed.data.userId.slice(0, 8)}`;
    case 'contact':
      return 'The contact';
    case 'system':
      return `System (${parsed.data.component})`;
  }
}

const shown = (value: unknown) =>
  value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value);

function Changes({ entry }: { entry: AuditEntry }) {
  const changes = Object.entries(entry.changes);
  if (changes.length === 0) return <>—</>;
  return (
    <Stack gap={2}>
      {changes.map(([field, change]) => (
        <Text key={field} size="xs" style={{ overflowWrap: 'anywhere' }}>
          <strong>{field}</strong>: {change.from === null ? '' : `${shown(change.from)} → `}
          {shown(change.to)}
        </Text>
      ))}
    </Stack>
  );
}

function ContactAuditTab() {
  const { contactId } = contactAuditRoute.useParams();
  const search: AuditSearch = contactAuditRoute.useSearch();
  const navigate = contactAuditRoute.useNavigate();
  const entries = useQuery({
    ...actionQuery('directory.listContactAudit', { contactId, cursor: search.cursor, limit: 25 }),
    placeholderData: keepPreviousData,
  });
  return (
    <CursorTable<AuditEntry>
      label="Audit trail"
      page={entries.data}
      fetching={entries.isFetching}
      error={entries.error}
      onRetry={() => void entries.refetch()}
      cursor={search.cursor}
      onCursorChange={(cursor) => void navigate({ search: (previous: AuditSearch) => ({ ...previous, cursor }) })}
      empty={<EmptyState title="No entries yet">Changes to the contact and its portal access appear here.</EmptyState>}
      columns={[
        { accessor: 'occurredAt', title: 'When', render: (entry) => formatDateTime(entry.occurredAt) },
        { accessor: 'actor', title: 'Who', render: (entry) => actorOf(entry.actor) },
        { accessor: 'action', title: 'What', render: (entry) => actionWords[entry.action] ?? entry.action },
        { accessor: 'changes', title: 'Changes', render: (entry) => <Changes entry={entry} /> },
        {
          accessor: 'sourceIp',
          title: 'From',
          render: (entry) => (
            <Stack gap={0}>
              <Text size="xs">{entry.sourceIp ?? '—'}</Text>
              {entry.requestId && (
                <Code fz="xs" title="Request id">
                  {entry.requestId}
                </Code>
              )}
            </Stack>
          ),
        },
      ]}
    />
  );
}
