import { Code, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { contactCsvColumns } from '@portal/contracts';

type ContactCsvColumn = (typeof contactCsvColumns)[number];

/** What each column of the contacts CSV holds (services/directory/README.md, "Contacts CSV"). */
const columnNotes: Record<ContactCsvColumn, { required: boolean; note: string }> = {
  account_number: { required: true, note: 'The number of an existing account; the contact belongs to it.' },
  site_code: {
    required: false,
    note: 'A site of that account: the contact is then a site-level contact, who sees only that site.',
  },
  first_name: { required: true, note: 'Up to 100 characters.' },
  last_name: { required: true, note: 'Up to 100 characters.' },
  email: {
    required: true,
    note: 'With the account, the key: a new address creates a contact, a known one updates it.',
  },
  phone: { required: false, note: 'Digits, spaces and + ( ) . / - only.' },
  title: { required: false, note: 'The job title, up to 100 characters.' },
};

const exampleCsv = [
  contactCsvColumns.join(','),
  'C-1001,,Greta,Nilsson,greta@northwind.test,+46 8 123 456,Buyer',
  'C-1001,S1,Anders,"Berg, Jr.",anders@northwind.test,,Site manager',
].join('\n');

/** The contacts CSV explained next to the upload: columns, rules, and a small example. */
export function ContactCsvFormat() {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="contact-csv-format">
      <Stack gap="sm">
        <Title order={2} size="h4" id="contact-csv-format">
          The CSV format
        </Title>
        <Text size="sm">
          A UTF-8 CSV file whose first line names the columns, in any order and any case. The export below writes the
          same format, so an exported file can be edited and imported again.
        </Text>
        <Table striped withTableBorder verticalSpacing={6} aria-label="Columns of the contacts CSV">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Column</Table.Th>
              <Table.Th scope="col">Required</Table.Th>
              <Table.Th scope="col">What it holds</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {contactCsvColumns.map((column) => (
              <Table.Tr key={column}>
                <Table.Td>
                  <Code>{column}</Code>
                </Table.Td>
                <Table.Td>{columnNotes[column].required ? 'Yes' : 'No'}</Table.Td>
                <Table.Td>{columnNotes[column].note}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <List size="sm" spacing={4}>
          <List.Item>
            A row whose account and e-mail match a contact updates it; an identical row changes nothing, so importing
            the same file twice is safe. A blank cell clears that field; the e-mail itself never changes.
          </List.Item>
          <List.Item>
            Rows with a problem are skipped and listed with their line number (the header is line 1); every other row is
            imported. The same e-mail twice for one account in a file is a problem on the later line.
          </List.Item>
          <List.Item>
            Fields with commas, quotes or line breaks go in double quotes, a quote inside doubled (<Code>""</Code>). The
            installation limits the rows per file (100,000 unless configured otherwise).
          </List.Item>
        </List>
        <Text size="sm" fw={500}>
          Example
        </Text>
        {/* Focusable: on a phone the example scrolls sideways, and a keyboard must reach it. */}
        <Code block tabIndex={0} style={{ whiteSpace: 'pre', overflowX: 'auto' }}>
          {exampleCsv}
        </Code>
      </Stack>
    </Paper>
  );
}
