import { TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';

/**
 * A list's search box whose search lives in the URL: it shows what the person types at once and
 * hands the trimmed text (or undefined for none) on 300 ms after the typing stops.
 */
export function SearchField({
  label = 'Search',
  placeholder,
  value,
  onSearch,
}: {
  label?: string;
  placeholder: string;
  /** The search in the URL, which the box starts from. */
  value: string | undefined;
  onSearch: (search: string | undefined) => void;
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
      w={{ base: '100%', xs: 280 }}
    />
  );
}
