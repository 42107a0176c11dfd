import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import { z } from 'zod';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { AuditTrailTable } from '../audit/audit-trail-table.tsx';
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

function ContactAuditTab() {
  const { contactId } = contactAuditRoute.useParams();
  const search: AuditSearch = contactAuditRoute.useSearch();
  const navigate = contactAuditRoute.useNavigate();
  const entries = useQuery({
    ...actionQuery('directory.listContactAudit', { contactId, cursor: search.cursor, limit: 25 }),
    placeholderData: keepPreviousData,
  });
  return (
    <AuditTrailTable
      entries={entries}
      cursor={search.cursor}
      onCursorChange={(cursor) => void navigate({ search: (previous: AuditSearch) => ({ ...previous, cursor }) })}
      empty={<EmptyState title="No entries yet">Changes to the contact and its portal access appear here.</EmptyState>}
    />
  );
}
