import { Anchor, Button, Divider, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Fragment, useId, useState } from 'react';
import { emailEventTypesFor, type EmailDelivery, type EmailEventType, type EmailPreference } from '@portal/contracts';
import { actionQuery, useActionMutation } from '../api/queries.ts';
import { notifySaved } from '../feedback/notify.tsx';
import { ErrorNotice, LoadingState } from '../feedback/states.tsx';
import { Page } from '../layout/page.tsx';
import type { EmailPreferencesConfig } from './email-preferences-config.ts';
import { emailDeliveryChoices, emailEventWording } from './email-event-wording.ts';

type Choices = Partial<Record<EmailEventType, EmailDelivery>>;

/**
 * `/notifications/settings` in both apps: the signed-in person's own choice, per kind of e-mail that
 * reaches them, of getting it at once, in the daily digest, or not at all. The bell is not affected.
 */
export function EmailPreferencesScreen({ preferences }: { preferences: EmailPreferencesConfig }) {
  // Read afresh on every visit: an e-mail's unsubscribe link changes them outside the app.
  const saved = useQuery({ ...actionQuery(preferences.get, {}), refetchOnMount: 'always' });
  return (
    <Page
      title="E-mail notifications"
      description="Choose how you hear by e-mail about what concerns you. The bell shows everything either way."
      actions={
        <Anchor size="sm" renderRoot={(props) => <Link {...props} to="/notifications" />}>
          All notifications
        </Anchor>
      }
    >
      {saved.isPending ? (
        <LoadingState label="Loading your e-mail settings" />
      ) : saved.error ? (
        <ErrorNotice
          error={saved.error}
          title="Your e-mail settings could not be loaded"
          onRetry={() => void saved.refetch()}
        />
      ) : (
        // A save answers every preference: the form starts again from what the server holds.
        <EmailPreferencesForm
          key={JSON.stringify(saved.data.items)}
          preferences={preferences}
          saved={saved.data.items}
        />
      )}
    </Page>
  );
}

function EmailPreferencesForm({
  preferences,
  saved,
}: {
  preferences: EmailPreferencesConfig;
  saved: EmailPreference[];
}) {
  const eventTypes = emailEventTypesFor(preferences.audience);
  const initialValues: Choices = Object.fromEntries(
    eventTypes.map((eventType) => [
      eventType,
      saved.find((preference) => preference.eventType === eventType)?.delivery ?? 'immediately',
    ]),
  );
  // Plain state, not @mantine/form: its paths split on dots, and every event type has one.
  const [choices, setChoices] = useState<Choices>(initialValues);
  const changed = eventTypes.some((eventType) => choices[eventType] !== initialValues[eventType]);
  const save = useActionMutation(preferences.set, {
    invalidates: [preferences.get],
    onSuccess: () => notifySaved('E-mail settings saved'),
  });
  return (
    <Paper withBorder p="md" maw={760}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          save.reset();
          save.mutate({
            preferences: eventTypes.map((eventType) => ({ eventType, delivery: choices[eventType] ?? 'immediately' })),
          });
        }}
      >
        <Stack gap="md">
          {eventTypes.map((eventType, index) => (
            <Fragment key={eventType}>
              {index > 0 && <Divider />}
              <PreferenceRow
                eventType={eventType}
                value={choices[eventType] ?? 'immediately'}
                onChange={(delivery) => setChoices((previous) => ({ ...previous, [eventType]: delivery }))}
              />
            </Fragment>
          ))}
          <Text size="xs" c="dimmed">
            The daily digest is one e-mail a day with everything held for it. Every e-mail also has a link to stop
            e-mails of its kind.
          </Text>
          {save.error ? <ErrorNotice error={save.error} title="Your e-mail settings were not saved" /> : null}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" disabled={!changed} onClick={() => setChoices(initialValues)}>
              Undo changes
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!changed}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** One kind of e-mail: its name and when it is sent, and the three choices as one radio group named by it. */
function PreferenceRow({
  eventType,
  value,
  onChange,
}: {
  eventType: EmailEventType;
  value: EmailDelivery;
  onChange: (delivery: EmailDelivery) => void;
}) {
  const labelId = useId();
  const descriptionId = useId();
  const wording = emailEventWording[eventType];
  return (
    <Group justify="space-between" align="center" wrap="wrap" gap="sm">
      <Stack gap={2} miw={0} style={{ flex: '1 1 260px' }}>
        <Text id={labelId} size="sm" fw={500}>
          {wording.label}
        </Text>
        <Text id={descriptionId} size="xs" c="dimmed">
          {wording.description}
        </Text>
      </Stack>
      <SegmentedControl
        aria-labelledby={labelId}
        aria-describedby={descriptionId}
        data={emailDeliveryChoices}
        value={value}
        onChange={(delivery) => onChange(delivery as EmailDelivery)}
      />
    </Group>
  );
}
