import { NativeSelect } from '@mantine/core';
import type { PortalAccount } from './portal-profile.ts';

const allAccounts = 'all';

/**
 * "All accounts" or one of them, for a contact who reaches several (a consolidated account's
 * contact reaches its members). Hidden for a contact with one account. A native select: the
 * phone's own picker, and the keyboard works as everywhere.
 */
export function AccountSwitcher({
  accounts,
  value,
  onChange,
}: {
  accounts: readonly PortalAccount[];
  value: string | undefined;
  onChange: (accountId: string | undefined) => void;
}) {
  if (accounts.length < 2) return null;
  return (
    <NativeSelect
      aria-label="Account"
      size="xs"
      w={{ base: 132, xs: 200, sm: 240 }}
      value={value && accounts.some((account) => account.id === value) ? value : allAccounts}
      onChange={(event) => {
        const chosen = event.currentTarget.value;
        onChange(chosen === allAccounts ? undefined : chosen);
      }}
      data={[
        { value: allAccounts, label: 'All accounts' },
        ...accounts.map((account) => ({ value: account.id, label: `${account.name} (${account.number})` })),
      ]}
    />
  );
}
