import { Button, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { createRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { portalPublicPages, selfRegistrationInputSchema } from '@portal/contracts';
import { useActionMutation } from '../../shared/api/queries.ts';
import { withoutBlankFields } from '../../shared/forms/blank-fields.ts';
import { contractResolver } from '../../shared/forms/contract-resolver.ts';
import { showServerErrors } from '../../shared/forms/server-errors.ts';
import { FormOutcome, failureOf } from './form-outcome.tsx';
import { PublicPage, publicRoute } from './public-layout.tsx';

export const registerRoute = createRoute({
  getParentRoute: () => publicRoute,
  path: portalPublicPages.register,
  component: RegisterScreen,
});

const initialValues = {
  email: '',
  invoiceNumber: '',
  quickPayCode: '',
  accountNumber: '',
  firstName: '',
  lastName: '',
};

/**
 * Keycloak's "Register with an invoice" link. The API answers the same whatever was typed (the
 * check runs afterwards), so this page shows that one answer and never guesses at a result.
 */
function RegisterScreen() {
  const [answer, setAnswer] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues,
    validate: contractResolver(selfRegistrationInputSchema, {
      email: 'Enter a valid e-mail address.',
      invoiceNumber: 'Enter the number of one of our invoices to you.',
      quickPayCode: 'Give the quick-pay code or the account number, one of the two.',
    }),
  });
  const register = useActionMutation('identity.registerWithInvoice', {
    onSuccess: (receipt) => {
      setAnswer(receipt.message);
      form.reset();
    },
    onError: (error) => setFailure(showServerErrors(form, error) ? null : failureOf(error)),
  });
  return (
    <PublicPage
      title="Register with an invoice"
      intro="Prove that you are a customer with one of our invoices; we send the invitation to your e-mail address."
    >
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setAnswer(null);
          setFailure(null);
          register.mutate(selfRegistrationInputSchema.parse(withoutBlankFields(values)));
        })}
      >
        <Stack gap="sm">
          <TextInput label="E-mail" type="email" required autoComplete="email" {...form.getInputProps('email')} />
          <TextInput label="Invoice number" required {...form.getInputProps('invoiceNumber')} />
          <TextInput
            label="Quick-pay code"
            description="Printed on the invoice. Give it or the account number."
            {...form.getInputProps('quickPayCode')}
          />
          <TextInput
            label="Account number"
            description="Your customer number, if you have no quick-pay code."
            {...form.getInputProps('accountNumber')}
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <TextInput
              label="First name (optional)"
              autoComplete="given-name"

              {...form.getInputProps('firstName')}
            />
            <TextInput
              label="Last name (optional)"
              autoComplete="family-name"

              {...form.getInputProps('lastName')}
            />
          </SimpleGrid>
          <Button type="submit" loading={register.isPending} fullWidth>
            Register
          </Button>
          <FormOutcome answer={answer} failure={failure} failureTitle="Your registration was not sent" />
        </Stack>
      </form>
    </PublicPage>
  );
}
