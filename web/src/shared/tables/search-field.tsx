import { TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';

/**
 * A list's search box over the search in the URL: typing stays local and instant, and the URL
 * (hence the query) follows 300 ms after the last key. An empty box is no search.
 */
export function SearchField({
  label = 'Search',
  placeholder,
  value,
  onSearch,
  width = 280,
}: {
  label?: string;
  placeholder: string;
  /** The search in the URL. */
  value: string | undefined;
  onSearch: (search: string | undefined) => void;
  width?: number;
}) {
  const [text, setText] = useState(value ?? '');
  const apply = useDebouncedCallback((typed: string) => onSearch(typed.trim() || undefined), 300);
  return (
    <TextInput
      label={label}
      placeholder={placeholder}
      leftSection={<IconSearch size={16} aria-hidden />}
      value={text}
      onChange={(event) => {
        setText(event.currentTarget.value);
        apply(event.currentTarget.value);
      }}
      w={{ base: '100%', xs: width }}
    />
  );
}
