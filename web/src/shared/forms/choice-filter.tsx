import { Box, NativeSelect, SegmentedControl, Stack, Text } from '@mantine/core';
import { useId } from '@mantine/hooks';

/**
 * A list's one-of filter (status, kind): a segmented control where there is room, a plain select
 * on phones, where five segments do not fit. Only one of the two is displayed (and so in the
 * accessibility tree) at a time; both carry the same label.
 */
export function ChoiceFilter<Value extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: Value;
  options: readonly { value: Value; label: string }[];
  onChange: (value: Value) => void;
}) {
  const labelId = useId();
  return (
    <Box maw="100%" w="fit-content">
      <Stack gap={4} visibleFrom="sm">
        <Text size="sm" fw={500} id={labelId}>
          {label}
        </Text>
        <SegmentedControl
          aria-labelledby={labelId}
          value={value}
          onChange={(next) => onChange(next as Value)}
          data={options.map((option) => ({ value: option.value, label: option.label }))}
        />
      </Stack>
      <NativeSelect
        hiddenFrom="sm"
        label={label}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value as Value)}
        data={options.map((option) => ({ value: option.value, label: option.label }))}
      />
    </Box>
  );
}
