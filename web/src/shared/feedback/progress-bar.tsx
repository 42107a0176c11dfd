import { Group, Progress, Stack, Text } from '@mantine/core';
import { useId } from '@mantine/hooks';
import type { ReactNode } from 'react';

/**
 * A progress bar with a visible name ("Upload progress", "Import progress") that also names it for
 * screen readers, the state in words beside it, and `aria-valuenow` in whole percent (left out
 * while the total is unknown, when the bar is shown full).
 */
export function LabelledProgress({
  label,
  percent,
  valueText,
  status,
  color,
  moving = false,
}: {
  label: string;
  /** 0–100, or null while the total is not known yet. */
  percent: number | null;
  /** What a screen reader says for the value ("512 KB of 2 MB", "0 of 1,000 rows"). */
  valueText: string;
  /** The state in words beside the label. */
  status: ReactNode;
  color?: string | undefined;
  /** Striped and animated while work goes on. */
  moving?: boolean;
}) {
  const labelId = useId();
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={500} id={labelId}>
          {label}
        </Text>
        <Text size="sm" c="dimmed">
          {status}
        </Text>
      </Group>
      <Progress.Root size="lg" radius="sm">
        <Progress.Section
          withAria={false}
          role="progressbar"
          aria-labelledby={labelId}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent ?? undefined}
          aria-valuetext={valueText}
          value={percent ?? 100}
          color={color}
          striped={moving}
          animated={moving}
        />
      </Progress.Root>
    </Stack>
  );
}
