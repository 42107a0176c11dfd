import { Button, Code, FileInput, Group, List, Modal, Stack, Table, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconFileTypeCsv, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import type { ImportJob } from '@portal/contracts';
import { useActionMutation } from '../../shared/api/queries.ts';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { invoiceCsvColumns, readInvoiceCsv, type InvoiceCsvColumn, type InvoiceCsvProblem } from './invoice-csv.ts';

const columnNotes: Record<InvoiceCsvColumn, string> = {
  number: 'The invoice number customers quote; an existing number is updated.',
  account_number: 'The number of the account the invoice was sent to.',
  amount: 'A decimal amount with a point, e.g. 1250.00.',
  currency: 'ISO 4217 code, e.g. EUR.',
  issued_at: 'The issue date as YYYY-MM-DD.',
  quick_pay_code:
    'Optional: the code printed on the invoice. Stored hashed, never shown again; blank keeps the stored one.',
};

const exampleCsv = [
  invoiceCsvColumns.join(','),
  'INV-2026-0001,C-1001,1250.00,EUR,2026-03-01,QP-4711',
  'INV-2026-0002,C-1002,99.90,EUR,2026-03-04,',
].join('\n');

/** The CSV is read and checked here; only a good file is sent, as the list the API takes. */
export function InvoiceImportDialog({
  onClose,
  onStarted,
}: {
  onClose: () => void;
  /** The job the API answered, with the CSV line each item came from. */
  onStarted: (job: ImportJob, lines: number[]) => void;
}) {
  const [problems, setProblems] = useState<InvoiceCsvProblem[]>([]);
  const [reading, setReading] = useState(false);
  const form = useForm<{ file: File | null }>({
    mode: 'controlled',
    initialValues: { file: null },
    validate: { file: (file) => (file ? null : 'Choose a CSV file to import.') },
  });
  const start = useActionMutation('directory.importInvoiceReferences');
  return (
    <Modal opened onClose={onClose} title="Import invoice references" size="lg" centered>
      <form
        noValidate
        onSubmit={form.onSubmit(async ({ file }) => {
          if (!file) return;
          start.reset();
          setProblems([]);
          setReading(true);
          const read = await readInvoiceCsv(file).finally(() => setReading(false));
          if (!read.ok) {
            setProblems(read.problems);
            return;
          }
          start.mutate({ items: read.items }, { onSuccess: (job) => onStarted(job, read.lines) });
        })}
      >
        <Stack gap="sm">
          <Text size="sm">
            A UTF-8 CSV file whose first line names these columns, in any order. Each row adds an invoice reference or
            updates the one with its number.
          </Text>
          <Table withTableBorder verticalSpacing={4} aria-label="Columns of the invoice references CSV">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Column</Table.Th>
                <Table.Th scope="col">What it holds</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invoiceCsvColumns.map((column) => (
                <Table.Tr key={column}>
                  <Table.Td>
                    <Code>{column}</Code>
                  </Table.Td>
                  <Table.Td>{columnNotes[column]}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="sm" fw={500}>
            Example
          </Text>
          <Code block tabIndex={0} style={{ whiteSpace: 'pre', overflowX: 'auto' }}>
            {exampleCsv}
          </Code>
          <FileInput
            label="CSV file"
            placeholder="Choose a file"
            // Mantine's placeholder grey is below AA contrast, and here it is the button's only text.
            styles={{ placeholder: { color: 'var(--mantine-color-gray-7)' } }}
            accept=".csv,text/csv"
            clearable
            data-autofocus
            leftSection={<IconFileTypeCsv size={18} aria-hidden />}
            {...form.getInputProps('file')}
          />
          {problems.length > 0 && (
            <Stack gap={4} role="alert">
              <Text size="sm" fw={500} c="red.9">
                Nothing was imported: fix {problems.length === 1 ? 'this line' : `these ${problems.length} lines`} and
                choose the file again.
              </Text>
              <List size="sm" spacing={2} aria-label="Problems in the file">
                {problems.slice(0, 50).map((problem) => (
                  <List.Item key={problem.line}>
                    {problem.line > 0 ? `Line ${problem.line}: ` : ''}
                    {problem.messages.join('; ')}
                  </List.Item>
                ))}
              </List>
              {problems.length > 50 && (
                <Text size="xs" c="dimmed">
                  …and {problems.length - 50} more.
                </Text>
              )}
            </Stack>
          )}
          {start.error ? <ErrorNotice error={start.error} title="The file was not imported" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={reading || start.isPending}
              leftSection={<IconUpload size={16} aria-hidden />}
            >
              Upload and import
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
