import { Button, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { createRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { accessRequestInputSchema, portalPublicPages } from '@portal/contracts';
import { useActionMutation } from '../../shared/api/queries.ts';
import { withoutBlankFields } from '../../shared/forms/blank-fields.ts';
import { contractResolver } from '../../shared/forms/contract-resolver.ts';
import { showServerErrors } from '../../shared/forms/server-errors.ts';
import { FormOutcome, failureOf } from './form-outcome.tsx';
import { PublicPage, publicRoute } from './public-layout.tsx';

export const requestAccessRoute = createRoute({
  getParentRoute: () => publicRoute,
  path: portalPublicPages.requestAccess,
  component: RequestAccessScreen,
});

const initialValues = { name: '', email: '', company: '', message: '' };

/** Keycloak's "Request access" link: the request goes to the supplier's staff, who set up the login. */
function RequestAccessScreen() {
  const [answer, setAnswer] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues,
    validate: contractResolver(accessRequestInputSchema, {
      name: 'Enter your name.',
      email: 'Enter a valid e-mail address.',
      company: 'Enter the name of your company.',
    }),
  });
  const send = useActionMutation('identity.requestAccess', {
    onSuccess: (receipt) => {
      setAnswer(receipt.message);
      form.reset();
    },
    onError: (error) => setFailure(showServerErrors(form, error) ? null : failureOf(error)),
  });
  return (
    <PublicPage
      title="Request access"
      intro="Tell us who you are and we will set up your login. You will get an e-mail once it is ready."
    >
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setAnswer(null);
          setFailure(null);
          send.mutate(accessRequestInputSchema.parse(withoutBlankFields(values)));
        })}
      >
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
          <Button type="submit" loading={send.isPending} fullWidth>
            Send request
          </Button>
          <FormOutcome answer={answer} failure={failure} failureTitle="Your request was not sent" />
        </Stack>
      </form>
    </PublicPage>
  );
}
