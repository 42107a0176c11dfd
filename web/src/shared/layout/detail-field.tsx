import { Box, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** One labelled value of a record's details, inside a `<dl>` (`SimpleGrid component="dl"`). */
export function DetailField({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box>
      <Text component="dt" size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text component="dd" size="sm" m={0}>
        {children}
      </Text>
    </Box>
  );
}
