import { Button, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { createRoute } from '@tanstack/react-router';
import { portalPublicPages } from '@portal/contracts';
import { FormOutcome, usePublicForm } from './public-form.tsx';
import { PublicPage, publicRoute } from './public-layout.tsx';

export const registerRoute = createRoute({
  getParentRoute: () => publicRoute,
  path: portalPublicPages.register,
  component: RegisterScreen,
});

/**
 * Keycloak's "Register with an invoice" link. The API answers the same whatever was typed (the
 * check runs afterwards), so this page shows that one answer and never guesses at a result.
 */
function RegisterScreen() {
  const { form, onSubmit, sending, answer, failure } = usePublicForm(
    'identity.registerWithInvoice',
    { email: '', invoiceNumber: '', quickPayCode: '', accountNumber: '', firstName: '', lastName: '' },
    {
      email: 'Enter a valid e-mail address.',
      invoiceNumber: 'Enter the number of one of our invoices to you.',
      quickPayCode: 'Give the quick-pay code or the account number, one of the two.',
    },
  );
  return (
    <PublicPage
      title="Register with an invoice"
      intro="Prove that you are a customer with one of our invoices; we send the invitation to your e-mail address."
    >
      <form noValidate onSubmit={onSubmit}>
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
            <TextInput label="First name (optional)" autoComplete="given-name" {...form.getInputProps('firstName')} />
            <TextInput label="Last name (optional)" autoComplete="family-name" {...form.getInputProps('lastName')} />
          </SimpleGrid>
          <Button type="submit" loading={sending} fullWidth>
            Register
          </Button>
          <FormOutcome answer={answer} failure={failure} failureTitle="Your registration was not sent" />
        </Stack>
      </form>
    </PublicPage>
  );
}
