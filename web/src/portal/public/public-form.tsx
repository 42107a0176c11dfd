import { Box, Paper, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCircleCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { actionContracts, type ActionParams } from '@portal/contracts';
import { ApiError } from '../../shared/api/api-error.ts';
import { useActionMutation } from '../../shared/api/queries.ts';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { withoutBlankFields } from '../../shared/forms/blank-fields.ts';
import { contractResolver } from '../../shared/forms/contract-resolver.ts';
import { showServerErrors } from '../../shared/forms/server-errors.ts';

/** The public forms: anonymous, rate-limited, and answered with one receipt message whatever happened. */
type PublicFormAction = 'identity.requestAccess' | 'identity.registerWithInvoice';

/** A failure as a visitor should read it: the API's own (with code, request id, when to retry), or "cannot be reached". */
function failureOf(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  return new Error('The portal cannot be reached. Check your connection and try again in a moment.');
}

/**
 * A public form over its action: the fields checked with the action's own params schema (blank
 * optional fields left out, as sent), the API's answer kept for `FormOutcome`, the form emptied once
 * sent, field problems of a 400 beside the fields and anything else as the failure.
 */
export function usePublicForm<A extends PublicFormAction, Values extends Record<string, string>>(
  action: A,
  initialValues: Values,
  wording: Record<string, string>,
) {
  const schema = actionContracts[action].params;
  const [answer, setAnswer] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm({ mode: 'controlled', initialValues, validate: contractResolver(schema, wording) });
  const send = useActionMutation(action, {
    onSuccess: (receipt) => {
      setAnswer(receipt.message);
      form.reset();
    },
    onError: (error) => setFailure(showServerErrors(form, error) ? null : failureOf(error)),
  });
  const onSubmit = form.onSubmit((values) => {
    setAnswer(null);
    setFailure(null);
    send.mutate(schema.parse(withoutBlankFields(values)) as ActionParams<A>);
  });
  return { form, onSubmit, sending: send.isPending, answer, failure };
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
            {/* The theme's readable green: Mantine's green.9 on green.0 is about 4.1:1, below AA. */}
            <Text
              size="sm"
              c="var(--mantine-color-green-text)"
              style={{ display: 'flex', gap: 8, alignItems: 'flex-start' }}
            >
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
