import { Button, Stack, TextInput, Textarea } from '@mantine/core';
import { createRoute } from '@tanstack/react-router';
import { portalPublicPages } from '@portal/contracts';
import { FormOutcome, usePublicForm } from './public-form.tsx';
import { PublicPage, publicRoute } from './public-layout.tsx';

export const requestAccessRoute = createRoute({
  getParentRoute: () => publicRoute,
  path: portalPublicPages.requestAccess,
  component: RequestAccessScreen,
});

/** Keycloak's "Request access" link: the request goes to the supplier's staff, who set up the login. */
function RequestAccessScreen() {
  const { form, onSubmit, sending, answer, failure } = usePublicForm(
    'identity.requestAccess',
    { name: '', email: '', company: '', message: '' },
    { name: 'Enter your name.', email: 'Enter a valid e-mail address.', company: 'Enter the name of your company.' },
  );
  return (
    <PublicPage
      title="Request access"
      intro="Tell us who you are and we will set up your login. You will get an e-mail once it is ready."
    >
      <form noValidate onSubmit={onSubmit}>
        <Stack gap="sm">
          <TextInput label="Your name" required autoComplete="name" {...form.getInputProps('name')} />
          <TextInput label="E-mail" type="email" required autoComplete="email" {...form.getInputProps('email')} />
          <TextInput label="Company" required autoComplete="organization" {...form.getInputProps('company')} />
          <Textarea
            label="Message (optional)"
            description="Anything that helps us find you, e.g. your customer number or contact person."
            autosize
            minRows={3}
            {...form.getInputProps('message')}
          />
          <Button type="submit" loading={sending} fullWidth>
            Send request
          </Button>
          <FormOutcome answer={answer} failure={failure} failureTitle="Your request was not sent" />
        </Stack>
      </form>
    </PublicPage>
  );
}
