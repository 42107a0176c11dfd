import { Anchor, Button, List, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import { portalUnsubscribePage, type WebApp } from '@portal/contracts';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { emailSettingsPath } from '../../shared/email-preferences/email-preferences-config.ts';
import { emailEventWording } from '../../shared/email-preferences/email-event-wording.ts';
import { ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { FormOutcome } from './public-form.tsx';
import { PublicPage, publicRoute } from './public-layout.tsx';

/**
 * `/unsubscribe/$token`: where an e-mail's "Unsubscribe" link lands (no sign-in; the signed token
 * says whose preference and which e-mails). Opening it changes nothing, since mail scanners follow
 * links; the button does. Mail clients use the `List-Unsubscribe` header's API URL instead.
 */
export const unsubscribeRoute = createRoute({
  getParentRoute: () => publicRoute,
  path: portalUnsubscribePage,
  component: UnsubscribeScreen,
});

function UnsubscribeScreen() {
  const { token } = unsubscribeRoute.useParams();
  const described = useQuery({
    ...actionQuery('notifications.describeUnsubscribe', { token }),
    // What the link stops is read once: after the click the digest link's answer would change under the page.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const unsubscribe = useActionMutation('notifications.unsubscribe');

  if (described.isPending) {
    return (
      <PublicPage title="Unsubscribe from e-mails" intro="Checking your link.">
        <LoadingState label="Checking the unsubscribe link" />
      </PublicPage>
    );
  }
  if (described.error) {
    return (
      <PublicPage
        title="This unsubscribe link does not work"
        intro="It may have been cut short or changed on its way. Open the link from the e-mail again, or change your e-mail settings after signing in."
      >
        <ErrorNotice error={described.error} title="The link was not accepted" />
        <SettingsLink app="portal" />
      </PublicPage>
    );
  }

  const { eventTypes, message, audience } = described.data;
  return (
    <PublicPage
      title="Unsubscribe from e-mails"
      intro={unsubscribe.data ? 'Your e-mail settings are changed.' : message}
    >
      {eventTypes.length > 0 && !unsubscribe.data && (
        <Stack gap="xs">
          <Text size="sm" fw={500} id="unsubscribe-stops">
            This stops the e-mails about:
          </Text>
          <List size="sm" spacing={4} aria-labelledby="unsubscribe-stops">
            {eventTypes.map((eventType) => (
              <List.Item key={eventType}>
                {emailEventWording[eventType].label}{' '}
                <Text span size="sm" c="dimmed">
                  ({emailEventWording[eventType].description.replace(/\.$/, '').toLowerCase()})
                </Text>
              </List.Item>
            ))}
          </List>
          <Text size="sm" c="dimmed">
            The notifications in the portal itself stay as they are.
          </Text>
          <Button
            loading={unsubscribe.isPending}
            onClick={() => {
              unsubscribe.reset();
              unsubscribe.mutate({ token });
            }}
          >
            Unsubscribe
          </Button>
        </Stack>
      )}
      <FormOutcome
        answer={unsubscribe.data?.message ?? null}
        failure={unsubscribe.error}
        failureTitle="You were not unsubscribed"
      />
      {(unsubscribe.data || eventTypes.length === 0) && (
        <SettingsLink app={audience === 'staff' ? 'admin' : 'portal'} />
      )}
    </PublicPage>
  );
}

/** The signed-in way back (in the recipient's own app): every kind of e-mail, at once, in the digest or off. */
function SettingsLink({ app }: { app: WebApp }) {
  return (
    <Text size="sm">
      Changed your mind, or want a daily digest instead?{' '}
      <Anchor href={`/${app}${emailSettingsPath}`} fw={600}>
        Open your e-mail settings
      </Anchor>
    </Text>
  );
}
