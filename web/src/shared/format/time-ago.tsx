import { Text, type TextProps } from '@mantine/core';
import { formatDateTime, formatRelativeTime } from './dates.ts';

/** "5 minutes ago" as a `<time>` element, the full date and time on hover. */
export function TimeAgo({ at, ...textProps }: { at: string } & TextProps) {
  return (
    <Text component="time" dateTime={at} title={formatDateTime(at)} {...textProps}>
      {formatRelativeTime(at)}
    </Text>
  );
}
