import { Anchor, Badge, Button, CloseButton, Group, Text } from '@mantine/core';
import { IconFileImport } from '@tabler/icons-react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import type { ActionResult } from '@portal/contracts';
import { actionKey, actionQuery } from '../../shared/api/queries.ts';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { formatDate } from '../../shared/format/dates.ts';
import { SearchField } from '../../shared/forms/search-field.tsx';
import { Page } from '../../shared/layout/page.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { ImportJobView } from '../contact-imports/import-job.tsx';
import { adminRootRoute } from '../root-route.tsx';
import { InvoiceImportDialog } from './invoice-import-dialog.tsx';

type InvoiceReference = ActionResult<'directory.listInvoiceReferences'>['items'][number];

/** Search, account filter, page and the import being followed: all in the URL. */
const invoiceReferencesSearchSchema = z.object({
  search: z.string().optional().catch(undefined),
  accountId: z.uuid().optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
  importId: z.uuid().optional().catch(undefined),
  /** How many items the browser sent: the bar's total until the directory reports its own. */
  items: z.number().int().nonnegative().optional().catch(undefined),
});
type InvoiceReferencesSearch = z.infer<typeof invoiceReferencesSearchSchema>;

export const invoiceReferencesRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: 'invoice-references',
  validateSearch: invoiceReferencesSearchSchema,
  component: InvoiceReferencesScreen,
});

const itemUnit = { one: 'invoice', many: 'invoices' } as const;

function amountOf(reference: InvoiceReference): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: reference.currency }).format(
      Number(reference.amount),
    );
  } catch {
    return `${reference.amount} ${reference.currency}`;
  }
}

/** The account's number, read once per account (the list itself carries only its id). */
function AccountNumber({ accountId }: { accountId: string }) {
  const account = useQuery({ ...actionQuery('directory.getAccount', { accountId }), staleTime: 5 * 60_000 });
  return (
    <Anchor component={Link} to={`/accounts/${accountId}`} size="sm">
      {account.data?.number ?? (account.error ? 'Unknown account' : '…')}
    </Anchor>
  );
}

function InvoiceReferencesScreen() {
  const search = invoiceReferencesRoute.useSearch();
  const navigate = invoiceReferencesRoute.useNavigate();
  const queryClient = useQueryClient();
  const canImport = useCan('settings:write');
  const [importing, setImporting] = useState(false);
  /** The CSV line of each item of the import started here; after a reload only item positions are known. */
  const [linesOf, setLinesOf] = useState<{ importId: string; lines: number[] } | null>(null);

  const references = useQuery({
    ...actionQuery('directory.listInvoiceReferences', {
      search: search.search,
      accountId: search.accountId,
      cursor: search.cursor,
      limit: 25,
    }),
    placeholderData: keepPreviousData,
  });
  const lines = linesOf && linesOf.importId === search.importId ? linesOf.lines : null;

  return (
    <Page
      title="Invoice references"
      description="Invoices customers may quote, with a quick-pay code or their account number, to register for the portal."
      actions={
        canImport && (
          <Button leftSection={<IconFileImport size={16} aria-hidden />} onClick={() => setImporting(true)}>
            Import CSV
          </Button>
        )
      }
    >
      {search.importId && (
        <ImportJobView
          key={search.importId}
          action="directory.getInvoiceReferenceImport"
          importId={search.importId}
          expected={search.items}
          unit={itemUnit}
          positionTitle={lines ? 'Line' : 'Item'}
          positionOf={(position) => lines?.[position - 1] ?? position}
          onFinished={() =>
            void queryClient.invalidateQueries({ queryKey: actionKey('directory.listInvoiceReferences') })
          }
          onDismiss={() =>
            void navigate({
              search: (previous: InvoiceReferencesSearch) => ({ ...previous, importId: undefined, items: undefined }),
            })
          }
        />
      )}
      <Group gap="sm" align="flex-end" wrap="wrap">
        <SearchField
          placeholder="Invoice number"
          value={search.search}
          onSearch={(text) =>
            void navigate({
              search: (previous: InvoiceReferencesSearch) => ({ ...previous, search: text, cursor: undefined }),
            })
          }
        />
        {search.accountId && (
          <Group gap={4} wrap="nowrap">
            <Text size="sm">
              Account: <AccountNumber accountId={search.accountId} />
            </Text>
            <CloseButton
              size="sm"
              aria-label="Show every account"
              onClick={() =>
                void navigate({
                  search: (previous: InvoiceReferencesSearch) => ({
                    ...previous,
                    accountId: undefined,
                    cursor: undefined,
                  }),
                })
              }
            />
          </Group>
        )}
      </Group>
      <CursorTable<InvoiceReference>
        label="Invoice references"
        query={references}
        cursor={search.cursor}
        onCursorChange={(cursor) =>
          void navigate({ search: (previous: InvoiceReferencesSearch) => ({ ...previous, cursor }) })
        }
        empty={
          <EmptyState title={search.search ? 'No invoice matches' : 'No invoice references yet'}>
            {search.search
              ? 'Try another number, or clear the search.'
              : canImport
                ? 'Import them from a CSV file with “Import CSV”.'
                : 'They appear here once staff who manage settings import them.'}
          </EmptyState>
        }
        columns={[
          { accessor: 'number', title: 'Number' },
          {
            accessor: 'accountId',
            title: 'Account',
            render: (reference) => <AccountNumber accountId={reference.accountId} />,
          },
          { accessor: 'amount', title: 'Amount', textAlign: 'right', render: amountOf },
          { accessor: 'issuedAt', title: 'Issued', render: (reference) => formatDate(reference.issuedAt) },
          {
            accessor: 'hasQuickPayCode',
            title: 'Quick-pay code',
            render: (reference) =>
              reference.hasQuickPayCode ? (
                <Badge variant="dot" color="teal" size="sm">
                  Set
                </Badge>
              ) : (
                <Text size="sm" c="dimmed">
                  None
                </Text>
              ),
          },
        ]}
      />
      {importing && (
        <InvoiceImportDialog
          onClose={() => setImporting(false)}
          onStarted={(job, jobLines) => {
            queryClient.setQueryData(actionKey('directory.getInvoiceReferenceImport', { importId: job.id }), job);
            setLinesOf({ importId: job.id, lines: jobLines });
            setImporting(false);
            void navigate({
              search: (previous: InvoiceReferencesSearch) => ({
                ...previous,
                importId: job.id,
                items: jobLines.length,
              }),
            });
          }}
        />
      )}
    </Page>
  );
}
