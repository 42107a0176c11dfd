import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { Account } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';

export const accountLabel = (account: Pick<Account, 'name' | 'number'>) => `${account.name} (${account.number})`;

/**
 * Picks one live account of a kind, searched on the server by name or number (there may be
 * thousands). The chosen account stays listed even when the search no longer finds it.
 */
export function AccountSelect({
  kind,
  label,
  description,
  value,
  onChange,
  excludeIds = [],
  error,
  required,
  clearable,
  placeholder = 'Type a name or number',
  'data-autofocus': autofocus,
}: {
  kind: Account['kind'];
  label: string;
  description?: string;
  value: string | null;
  onChange: (account: Account | null) => void;
  /** Accounts not to offer (the account itself, accounts already in a group). */
  excludeIds?: readonly string[];
  error?: ReactNode;
  required?: boolean;
  clearable?: boolean;
  placeholder?: string;
  'data-autofocus'?: boolean;
}) {
  const [searchValue, setSearchValue] = useState('');
  const selected = useQuery({
    ...actionQuery('directory.getAccount', { accountId: value ?? '' }),
    enabled: Boolean(value),
  });
  const selectedLabel = selected.data && value ? accountLabel(selected.data) : null;
  // When the box shows the chosen account's label, list every account rather than search for that label.
  const typed = searchValue.trim() === selectedLabel ? '' : searchValue.trim();
  const [search] = useDebouncedValue(typed, 250);
  const candidates = useQuery({
    ...actionQuery('directory.listAccounts', { kind, search: search || undefined, limit: 25 }),
    placeholderData: keepPreviousData,
  });
  const accounts = new Map<string, Account>();
  if (selected.data && value) accounts.set(selected.data.id, selected.data);
  for (const account of candidates.data?.items ?? []) {
    if (!excludeIds.includes(account.id)) accounts.set(account.id, account);
  }
  return (
    <Select
      label={label}
      description={description}
      placeholder={placeholder}
      searchable
      clearable={clearable}
      required={required}
      error={error ?? (candidates.error ? candidates.error.message : undefined)}
      data={[...accounts.values()].map((account) => ({ value: account.id, label: accountLabel(account) }))}
      value={value}
      onChange={(id) => onChange(id ? (accounts.get(id) ?? null) : null)}
      searchValue={searchValue}
      onSearchChange={setSearchValue}
      // The server already matched name or number; the box filters nothing further.
      filter={({ options }) => options}
      nothingFoundMessage={candidates.isFetching ? 'Searching…' : 'No account matches'}
      data-autofocus={autofocus}
    />
  );
}
