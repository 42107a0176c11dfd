import { createRoute } from '@tanstack/react-router';
import { z } from 'zod';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { contactRoute } from '../contacts/contact-layout.tsx';
import { DownloadsLog } from './downloads-table.tsx';

const downloadsSearchSchema = z.object({ cursor: z.string().optional().catch(undefined) });
type DownloadsSearch = z.infer<typeof downloadsSearchSchema>;

/** `/contacts/$contactId/downloads`: every document version the contact downloaded in the portal. */
export const contactDownloadsRoute = createRoute({
  getParentRoute: () => contactRoute,
  path: 'downloads',
  validateSearch: downloadsSearchSchema,
  component: ContactDownloadsTab,
});

function ContactDownloadsTab() {
  const { contactId } = contactRoute.useParams();
  const search: DownloadsSearch = contactDownloadsRoute.useSearch();
  const navigate = contactDownloadsRoute.useNavigate();
  return (
    <DownloadsLog
      filter={{ contactId }}
      cursor={search.cursor}
      onCursorChange={(cursor) => void navigate({ search: (previous: DownloadsSearch) => ({ ...previous, cursor }) })}
      empty={
        <EmptyState title="No downloads yet">
          Documents this contact downloads in the portal are logged here, with the version and the address.
        </EmptyState>
      }
    />
  );
}
