import { Alert, Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { ApiError } from '../api/api-error.ts';
import { waitInWords } from '../format/durations.ts';

/** A failure as the person should read it: the API's message, its code and the request id to quote. */
export function ErrorNotice({
  error,
  onRetry,
  title = 'Something went wrong',
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const apiError = error instanceof ApiError ? error : null;
  const message = error instanceof Error ? error.message : 'The request failed.';
  return (
    <Alert color="red" variant="light" title={title} icon={<IconAlertTriangle aria-hidden />} role="alert">
      <Stack gap={6}>
        <Text size="sm">{message}</Text>
        {apiError?.retryAfterSeconds != null && (
          <Text size="sm">You can try again in {waitInWords(apiError.retryAfterSeconds)}.</Text>
        )}
        {apiError && (
          <Text size="xs" c="dimmed">
            {apiError.code}
            {apiError.requestId ? ` · request id ${apiError.requestId}` : ''}
          </Text>
        )}
        {onRetry && (
          <Group>
            <Button size="xs" variant="default" onClick={onRetry}>
              Try again
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

export function LoadingState({ label = 'Loading' }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Loader size="sm" aria-label={label} />
      <Text size="sm" c="dimmed" ml="sm">
        {label}…
      </Text>
    </Center>
  );
}

/** Nothing to show yet, and what to do about it. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <Stack align="center" gap="xs" py="xl" ta="center">
      <Title order={3} size="h4">
        {title}
      </Title>
      {children && (
        <Text size="sm" c="dimmed" maw={440}>
          {children}
        </Text>
      )}
      {action}
    </Stack>
  );
}
