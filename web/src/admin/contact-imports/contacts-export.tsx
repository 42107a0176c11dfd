import { Button, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { downloadUrlOf } from '../../shared/api/action-client.ts';
import { actionQuery } from '../../shared/api/queries.ts';

/**
 * "Download contacts (CSV)": a plain link to the export, which the browser fetches with the session
 * cookie and saves; optionally one account's contacts, picked by name or number.
 */
export function ContactsExport() {
  const [accountId, setAccountId] = useState<string | null>(null);
  const [searchText, setSearchText] = useState('');
  const [search] = useDebouncedValue(searchText.trim(), 250);
  const accounts = useQuery({
    ...actionQuery('directory.listAccounts', { search: search || undefined, limit: 20, includeArchived: false }),
    placeholderData: keepPreviousData,
  });
  const [picked, setPicked] = useState<{ value: string; label: string } | null>(null);
  const options = (accounts.data?.items ?? []).map((account) => ({
    value: account.id,
    label: `${account.number} · ${account.name}`,
  }));
  // Keep the chosen account among the options while another search is shown.
  if (picked && !options.some((option) => option.value === picked.value)) options.unshift(picked);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="contacts-export-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="contacts-export-heading">
          Download contacts
        </Title>
        <Text size="sm" c="dimmed">
          Every live contact in the import format, of all accounts or of one.
        </Text>
        <Select
          label="Account"
          placeholder="All accounts"
          searchable
          clearable
          nothingFoundMessage={accounts.isFetching ? 'Searching…' : 'No account matches'}
          data={options}
          value={accountId}
          searchValue={searchText}
          onSearchChange={setSearchText}
          // The API searches; the list shows what it answered.
          filter={({ options: answered }) => answered}
          onChange={(value, option) => {
            setAccountId(value);
            setPicked(value && option ? { value, label: option.label } : null);
          }}
        />
        <Button
          component="a"
          href={downloadUrlOf('directory.exportContacts', accountId ? { accountId } : {})}
          download
          variant="default"
          leftSection={<IconDownload size={16} aria-hidden />}
        >
          Download contacts (CSV)
        </Button>
      </Stack>
    </Paper>
  );
}
