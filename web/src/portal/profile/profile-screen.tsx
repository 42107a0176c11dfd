import { Anchor, Badge, Group, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { readAccountConsoleUrl } from '../../shared/branding/branding.ts';
import { emailSettingsPath } from '../../shared/email-preferences/email-preferences-config.ts';
import { ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { Page } from '../../shared/layout/page.tsx';
import { portalProfileQuery, type PortalProfile } from '../accounts/portal-profile.ts';
import { signedInRoute } from '../root-route.tsx';
import { accessScopeInWords } from './access-scope-words.ts';

export const profileRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: 'profile',
  component: ProfileScreen,
});

/**
 * Keycloak 26's account console (its `keycloak.v3` account theme, a single-page app under
 * `/realms/<realm>/account/`): "Signing in" is where a person changes the password and sets up
 * (or removes) an authenticator app. Checked against the running 26.7.3.
 */
export const accountConsolePages = { signingIn: 'account-security/signing-in' } as const;

function ProfileScreen() {
  const profile = useQuery(portalProfileQuery());
  return (
    <Page title="My profile" description="Who you are in the portal, what you can see, and how you sign in.">
      {profile.isPending ? (
        <LoadingState label="Loading your profile" />
      ) : profile.error ? (
        <ErrorNotice
          error={profile.error}
          title="Your profile could not be loaded"
          onRetry={() => void profile.refetch()}
        />
      ) : (
        <ProfileDetails profile={profile.data} />
      )}
    </Page>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = `profile-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

/** Rows of label and value; row headers, so a screen reader reads "E-mail, greta@…". */
function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <Table variant="vertical" layout="fixed" withRowBorders={false} verticalSpacing={6}>
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w={{ base: 136, xs: 200 }} scope="row">
              {label}
            </Table.Th>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function mfaInWords(mfa: PortalProfile['mfa']): string {
  if (mfa.configured) return mfa.required ? 'Set up (required for your login)' : 'Set up';
  return mfa.required
    ? 'Required, not set up yet: you will be asked to set it up at your next sign-in'
    : 'Not set up (optional)';
}

function ProfileDetails({ profile }: { profile: PortalProfile }) {
  const consoleUrl = readAccountConsoleUrl();
  const signingIn = consoleUrl ? `${consoleUrl}/${accountConsolePages.signingIn}` : null;
  const { contact, accounts, mfa } = profile;
  return (
    <Stack gap="md" maw={760}>
      <Section title="You">
        <Facts
          rows={[
            ['Name', `${contact.firstName} ${contact.lastName}`.trim()],
            ['E-mail', contact.email],
          ]}
        />
      </Section>
      <Section title="Your accounts">
        <List spacing={4} aria-label="Accounts you reach">
          {accounts.map((account, index) => (
            <List.Item key={account.id}>
              <Group gap="xs" wrap="wrap">
                <Text size="sm">
                  {account.name}{' '}
                  <Text span c="dimmed" size="sm">
                    ({account.number})
                  </Text>
                </Text>
                {index === 0 && accounts.length > 1 && (
                  <Badge variant="light" size="sm">
                    Your account
                  </Badge>
                )}
                {account.kind === 'consolidated' && (
                  <Badge variant="outline" size="sm" color="gray">
                    Group of accounts
                  </Badge>
                )}
              </Group>
            </List.Item>
          ))}
        </List>
        <Text size="sm">
          <Text span fw={600}>
            What you can see:
          </Text>{' '}
          {accessScopeInWords(profile)}.
        </Text>
      </Section>
      <Section title="E-mail notifications">
        <Text size="sm">
          Choose for each kind of e-mail whether it comes at once, in a daily digest, or not at all.
        </Text>
        <Group>
          <Anchor fw={600} renderRoot={(props) => <Link {...props} to={emailSettingsPath} />}>
            E-mail settings
          </Anchor>
        </Group>
      </Section>
      <Section title="Signing in">
        <Facts
          rows={[
            ['Two-factor authentication', mfaInWords(mfa)],
            ['Password', 'Only you know it. Change it at any time.'],
          ]}
        />
        {signingIn ? (
          <Group gap="lg" wrap="wrap">
            <Anchor href={signingIn} fw={600}>
              Change password <IconExternalLink size={14} aria-hidden />
            </Anchor>
            <Anchor href={signingIn} fw={600}>
              {mfa.configured ? 'Manage two-factor authentication' : 'Set up two-factor authentication'}{' '}
              <IconExternalLink size={14} aria-hidden />
            </Anchor>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            Your sign-in settings are managed at the sign-in service; this page does not know its address.
          </Text>
        )}
        <Text size="xs" c="dimmed">
          These open your sign-in settings at the sign-in service, where you may be asked for your password again.
        </Text>
      </Section>
    </Stack>
  );
}
