import { Box, Paper, Text } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { ApiError } from '../../shared/api/api-error.ts';
import { ErrorNotice } from '../../shared/feedback/states.tsx';

/** A failure as a visitor should read it: the API's own (with code, request id, when to retry), or "cannot be reached". */
export function failureOf(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  return new Error('The portal cannot be reached. Check your connection and try again in a moment.');
}

/**
 * What became of a sent form: the API's answer in a polite live region (always present, so screen
 * readers announce the answer when it arrives), or the failure as an alert.
 */
export function FormOutcome({
  answer,
  failure,
  failureTitle,
}: {
  answer: string | null;
  failure: unknown;
  failureTitle: string;
}) {
  return (
    <>
      <Box role="status" aria-live="polite" aria-label="Answer">
        {answer ? (
          <Paper withBorder p="sm" bg="green.0" style={{ borderColor: 'var(--mantine-color-green-7)' }}>
            <Text size="sm" c="green.9" style={{ display: 'flex', gap: 8, alignItems: 'flex-start' }}>
              <IconCircleCheck size={18} aria-hidden style={{ flexShrink: 0 }} />
              <span>{answer}</span>
            </Text>
          </Paper>
        ) : null}
      </Box>
      {failure ? <ErrorNotice error={failure} title={failureTitle} /> : null}
    </>
  );
}
