import { createRoute } from '@tanstack/react-router';
import { z } from 'zod';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { documentRoute } from './document-layout.tsx';
import { DownloadsLog } from './downloads-table.tsx';

const downloadsSearchSchema = z.object({ cursor: z.string().optional().catch(undefined) });
type DownloadsSearch = z.infer<typeof downloadsSearchSchema>;

/** `/documents/$documentId/downloads`: who downloaded which version of the document, and from where. */
export const documentDownloadsRoute = createRoute({
  getParentRoute: () => documentRoute,
  path: 'downloads',
  validateSearch: downloadsSearchSchema,
  component: DocumentDownloadsTab,
});

function DocumentDownloadsTab() {
  const { documentId } = documentRoute.useParams();
  const search: DownloadsSearch = documentDownloadsRoute.useSearch();
  const navigate = documentDownloadsRoute.useNavigate();
  return (
    <DownloadsLog
      filter={{ documentId }}
      cursor={search.cursor}
      onCursorChange={(cursor) => void navigate({ search: (previous: DownloadsSearch) => ({ ...previous, cursor }) })}
      empty={
        <EmptyState title="No downloads yet">
          Every download of a version, by staff or by a contact in the portal, is logged here.
        </EmptyState>
      }
    />
  );
}
