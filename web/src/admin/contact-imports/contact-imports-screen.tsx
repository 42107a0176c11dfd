import { Button, FileInput, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconFileTypeCsv, IconUpload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import type { ContactImport } from '@portal/contracts';
import { uploadCsv } from '../../shared/api/action-client.ts';
import type { ApiError } from '../../shared/api/api-error.ts';
import { actionKey } from '../../shared/api/queries.ts';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { Page } from '../../shared/layout/page.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { adminRootRoute } from '../root-route.tsx';
import { ContactCsvFormat } from './contact-csv-format.tsx';
import { ContactsExport } from './contacts-export.tsx';
import { countCsvDataRows } from './csv-records.ts';
import { ImportJobView, useImportJob } from './import-job.tsx';

/**
 * The job in the URL, so a reload (or a link sent to a colleague) shows the same import; `rows` is
 * what the browser counted in the file, the bar's total until the directory knows its own.
 */
const contactImportsSearchSchema = z.object({
  importId: z.uuid().optional().catch(undefined),
  rows: z.number().int().nonnegative().optional().catch(undefined),
});
type ContactImportsSearch = z.infer<typeof contactImportsSearchSchema>;

export const contactImportsRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: 'contact-imports',
  validateSearch: contactImportsSearchSchema,
  component: ContactImportsScreen,
});

const rowUnit = { one: 'row', many: 'rows' } as const;

function ContactImportsScreen() {
  const search = contactImportsRoute.useSearch();
  const canImport = useCan('directory:write');
  const canExport = useCan('directory:export');
  const queryClient = useQueryClient();
  const navigate = contactImportsRoute.useNavigate();
  return (
    <Page title="Contact import" description="Create and update the contacts of existing accounts from a CSV file.">
      <SimpleGrid cols={{ base: 1, md: canImport && canExport ? 2 : 1 }} spacing="md">
        {canImport && <ContactImportUpload />}
        {canExport && <ContactsExport />}
      </SimpleGrid>
      {!canImport && (
        <Text size="sm" c="dimmed">
          Importing contacts needs write access to the directory; you can follow imports others started from their link.
        </Text>
      )}
      {search.importId && (
        <ImportJobView
          key={search.importId}
          action="directory.getContactImport"
          importId={search.importId}
          expected={search.rows}
          unit={rowUnit}
          onFinished={() => void queryClient.invalidateQueries({ queryKey: actionKey('directory.listContacts') })}
          onDismiss={() =>
            void navigate({
              search: (previous: ContactImportsSearch) => ({ ...previous, importId: undefined, rows: undefined }),
            })
          }
        />
      )}
      <ContactCsvFormat />
    </Page>
  );
}

/** Choose a file → it goes to the directory as it is; the job it answers goes into the URL. */
function ContactImportUpload() {
  const navigate = contactImportsRoute.useNavigate();
  const queryClient = useQueryClient();
  const search = contactImportsRoute.useSearch();
  const current = useImportJob('directory.getContactImport', search.importId);
  const [counting, setCounting] = useState(false);
  const form = useForm<{ file: File | null }>({
    mode: 'controlled',
    initialValues: { file: null },
    validate: { file: (file) => (file ? null : 'Choose a CSV file to import.') },
  });
  const upload = useMutation<ContactImport, ApiError, { file: File; rows: number | null }>({
    mutationFn: ({ file }) => uploadCsv('directory.startContactImport', {}, file),
    onSuccess: (job, { rows }) => {
      // The first answer is already the job: show it at once, then poll from there.
      queryClient.setQueryData(actionKey('directory.getContactImport', { importId: job.id }), job);
      form.reset();
      void navigate({
        search: (previous: ContactImportsSearch) => ({ ...previous, importId: job.id, rows: rows ?? undefined }),
      });
    },
  });
  const running = current.data?.status === 'running';
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="contact-import-heading">
      <form
        noValidate
        onSubmit={form.onSubmit(async ({ file }) => {
          if (!file) return;
          upload.reset();
          setCounting(true);
          const rows = await countCsvDataRows(file).finally(() => setCounting(false));
          upload.mutate({ file, rows });
        })}
      >
        <Stack gap="sm">
          <Title order={2} size="h4" id="contact-import-heading">
            Import a file
          </Title>
          <FileInput
            label="CSV file"
            description="Contacts in the format described below."
            placeholder="Choose a file"
            // Mantine's placeholder grey is below AA contrast, and here it is the button's only text.
            styles={{ placeholder: { color: 'var(--mantine-color-gray-7)' } }}
            accept=".csv,text/csv"
            clearable
            leftSection={<IconFileTypeCsv size={18} aria-hidden />}
            {...form.getInputProps('file')}
          />
          {upload.error ? <ErrorNotice error={upload.error} title="The file was not imported" /> : null}
          <Group justify="flex-end">
            <Button
              type="submit"
              loading={counting || upload.isPending}
              disabled={running}
              leftSection={<IconUpload size={16} aria-hidden />}
            >
              Upload and import
            </Button>
          </Group>
          {running && (
            <Text size="xs" c="dimmed">
              Wait for the import below to finish before starting another.
            </Text>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
