import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import { z } from 'zod';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { AuditTrailTable } from '../audit/audit-trail-table.tsx';
import { accountRoute } from './account-layout.tsx';

const auditSearchSchema = z.object({ cursor: z.string().optional().catch(undefined) });
type AuditSearch = z.infer<typeof auditSearchSchema>;

/** `/accounts/$accountId/audit`: who changed what in the account and everything in it, newest first. */
export const accountAuditRoute = createRoute({
  getParentRoute: () => accountRoute,
  path: 'audit',
  validateSearch: auditSearchSchema,
  component: AccountAuditTab,
});

function AccountAuditTab() {
  const { accountId } = accountRoute.useParams();
  const search: AuditSearch = accountAuditRoute.useSearch();
  const navigate = accountAuditRoute.useNavigate();
  const entries = useQuery({
    ...actionQuery('directory.listAccountAudit', { accountId, cursor: search.cursor, limit: 25 }),
    placeholderData: keepPreviousData,
  });
  return (
    <AuditTrailTable
      entries={entries}
      cursor={search.cursor}
      onCursorChange={(cursor) => void navigate({ search: (previous: AuditSearch) => ({ ...previous, cursor }) })}
      empty={
        <EmptyState title="No changes recorded yet">
          Every change to this account, its sites, projects, contacts and their portal access is listed here as it
          happens.
        </EmptyState>
      }
    />
  );
}
