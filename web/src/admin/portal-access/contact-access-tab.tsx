import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Radio,
  ScrollArea,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import { useEffect, useState, type ReactNode } from 'react';
import type { AccessScope, Contact, Project } from '@portal/contracts';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { EmptyState, ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { useCan } from '../../shared/session/permissions.ts';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { allProjectsQuery, allSitesQuery, contactNameOf, pickerLimit } from '../contacts/account-directory.ts';
import { contactRoute } from '../contacts/contact-layout.tsx';
import { notifyFailed, notifySaved } from '../../shared/feedback/notify.tsx';
import { AccessActionButtons, accessStatusHint, useAccessOperations } from './access-operations.tsx';
import { AccessStatusBadge } from './access-status.tsx';

/** `/contacts/$contactId/access`: status and dates, scope, MFA, what the contact sees, and the access actions. */
export const contactAccessRoute = createRoute({
  getParentRoute: () => contactRoute,
  path: 'access',
  component: ContactAccessTab,
});

function ContactAccessTab() {
  const { contactId } = contactAccessRoute.useParams();
  const contact = useQuery(actionQuery('directory.getContact', { contactId }));
  if (contact.isPending) return <LoadingState label="Loading portal access" />;
  if (contact.error) return <ErrorNotice error={contact.error} onRetry={() => void contact.refetch()} />;
  return (
    <Stack gap="lg">
      <AccessStatusSection contact={contact.data} />
      <MfaSection contact={contact.data} />
      <ScopeSection contact={contact.data} />
      <VisibleProjectsSection contact={contact.data} />
    </Stack>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="sm" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

function AccessStatusSection({ contact }: { contact: Contact }) {
  const operations = useAccessOperations();
  const { access } = contact;
  const dates = [
    { label: 'Invited', value: access.invitedAt },
    { label: 'Invitation expires', value: access.status === 'invited' ? access.inviteExpiresAt : null },
    { label: 'Enabled', value: access.enabledAt },
    { label: 'Revoked', value: access.disabledAt },
  ].filter((date) => date.value);
  return (
    <Section id="access-status-heading" title="Status">
      <Group gap="sm">
        <AccessStatusBadge status={access.status} size="md" />
        <Text size="sm">{accessStatusHint(access.status)}</Text>
      </Group>
      {dates.length > 0 && (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="xs" component="dl" m={0}>
          {dates.map((date) => (
            <div key={date.label}>
              <Text component="dt" size="xs" c="dimmed">
                {date.label}
              </Text>
              <Text component="dd" size="sm" m={0}>
                {formatDateTime(date.value)}
              </Text>
            </div>
          ))}
        </SimpleGrid>
      )}
      {contact.email ? (
        <Text size="sm">
          Portal login: <strong>{contact.email}</strong>
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          No e-mail address: add one on the Details tab before giving portal access.
        </Text>
      )}
      {!contact.archivedAt && (
        <AccessActionButtons
          subject={{ contactId: contact.id, name: contactNameOf(contact), email: contact.email, status: access.status }}
          operations={operations}
          withMfaReset
        />
      )}
      {operations.dialogs}
    </Section>
  );
}

const mfaViews = [
  'directory.getContact',
  'directory.listContactAudit',
  'directory.listAccountAudit',
  'directory.listPortalAccess',
] as const;

function MfaSection({ contact }: { contact: Contact }) {
  const canRequire = useCan('directory:write');
  const canClear = useCan('settings:write');
  const account = useQuery(actionQuery('directory.getAccount', { accountId: contact.accountId }));
  const classId = account.data?.classId ?? null;
  const accountClass = useQuery({
    ...actionQuery('directory.getAccountClass', { accountClassId: classId ?? '' }),
    enabled: classId !== null,
  });
  const classRequires = accountClass.data?.requireMfa === true;
  const require = useActionMutation('directory.requireMfa', { invalidates: mfaViews });
  const clear = useActionMutation('directory.clearMfaRequirement', { invalidates: mfaViews });
  const required = contact.access.mfaRequired;
  const archived = contact.archivedAt !== null;

  let why: string;
  if (classRequires)
    why = `The account class “${accountClass.data?.name}” requires MFA for every contact of this account, whatever this switch says.`;
  else if (required && !canClear) why = 'Only an administrator can clear the requirement.';
  else if (!required && !canRequire) why = 'You may not change this setting.';
  else
    why = required
      ? 'The contact must use an authenticator app when signing in.'
      : 'When on, the contact must set up an authenticator app at the next sign-in.';

  // The switch moves at once and shows the saved state again once the call has settled.
  const [switching, setSwitching] = useState<boolean | null>(null);
  const toggle = (on: boolean) => {
    setSwitching(on);
    const options = {
      onSuccess: () =>
        notifySaved(on ? 'MFA is now required for this contact.' : 'The contact’s own MFA requirement is cleared.'),
      onError: (error: unknown) => notifyFailed('The MFA setting was not changed', error),
      onSettled: () => setSwitching(null),
    };
    if (on) require.mutate({ contactId: contact.id }, options);
    else clear.mutate({ contactId: contact.id }, options);
  };

  return (
    <Section id="access-mfa-heading" title="Multi-factor authentication">
      <Switch
        label="MFA required"
        description={why}
        checked={switching ?? required}
        disabled={
          archived || classRequires || (required ? !canClear : !canRequire) || require.isPending || clear.isPending
        }
        onChange={(event) => toggle(event.currentTarget.checked)}
      />
      {classRequires && (
        <Badge variant="light" color="blue" w="fit-content">
          Required by the account class
        </Badge>
      )}
    </Section>
  );
}

function scopeOf(contact: Contact): { kind: AccessScope['kind']; siteIds: string[]; projectIds: string[] } {
  const { scope } = contact.access;
  return scope.kind === 'all'
    ? { kind: 'all', siteIds: [], projectIds: [] }
    : { kind: 'selected', siteIds: [...scope.siteIds], projectIds: [...scope.projectIds] };
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item) => b.includes(item));

function ScopeSection({ contact }: { contact: Contact }) {
  const canWrite = useCan('directory:write') && contact.archivedAt === null;
  const sites = useQuery(allSitesQuery(contact.accountId));
  const projects = useQuery(allProjectsQuery(contact.accountId));
  const saved = scopeOf(contact);
  const [draft, setDraft] = useState(saved);
  const changed =
    draft.kind !== saved.kind ||
    (draft.kind === 'selected' &&
      (!sameSet(draft.siteIds, saved.siteIds) || !sameSet(draft.projectIds, saved.projectIds)));
  const [failure, setFailure] = useState<unknown>(null);

  // A newer saved scope replaces the draft unless the person is changing it.
  useEffect(() => {
    if (!changed) setDraft(scopeOf(contact));
  }, [contact.updatedAt]);

  const save = useActionMutation('directory.setAccessScope', {
    invalidates: [
      'directory.getContact',
      'directory.listVisibleProjects',
      'directory.listPortalAccess',
      'directory.listContactAudit',
      'directory.listAccountAudit',
    ],
    onSuccess: (updated) => {
      setDraft(scopeOf(updated));
      notifySaved('Scope saved. “What this contact sees” shows the result.');
    },
    onError: setFailure,
  });

  const siteOfContact = sites.data?.items.find((site) => site.id === contact.siteId);
  // A site's contact reaches only its own site and that site's projects: nothing else is offered.
  const reachableSites = (sites.data?.items ?? []).filter((site) => !contact.siteId || site.id === contact.siteId);
  const reachableProjects = (projects.data?.items ?? []).filter(
    (project) => !contact.siteId || project.siteId === contact.siteId,
  );
  const toggle = (list: 'siteIds' | 'projectIds', id: string, on: boolean) =>
    setDraft((current) => ({
      ...current,
      [list]: on ? [...current[list], id] : current[list].filter((item) => item !== id),
    }));
  const projectCoveredBySite = (project: Project) => project.siteId !== null && draft.siteIds.includes(project.siteId);

  return (
    <Section id="access-scope-heading" title="What the contact may see">
      {contact.siteId && (
        <Alert color="blue" variant="light">
          This contact belongs to the site {siteOfContact ? `${siteOfContact.code} · ${siteOfContact.name}` : ''}:
          whatever the scope, it sees only that site and its projects, so only those can be chosen.
        </Alert>
      )}
      <Radio.Group
        label="Scope"
        value={draft.kind}
        onChange={(value) => setDraft((current) => ({ ...current, kind: value as AccessScope['kind'] }))}
        readOnly={!canWrite}
      >
        <Stack gap={6} mt={6}>
          <Radio
            value="all"
            label="Account (all sites)"
            description="Every current and future site and project of the account."
            disabled={!canWrite}
          />
          <Radio
            value="selected"
            label="Chosen sites and projects"
            description="Only the sites and projects ticked below; a ticked site includes all its projects."
            disabled={!canWrite}
          />
        </Stack>
      </Radio.Group>
      {draft.kind === 'selected' && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <PickList
            legend="Sites"
            loading={sites.isPending}
            error={sites.error}
            truncated={sites.data?.truncated ?? false}
            empty="The account has no sites."
            items={reachableSites.map((site) => ({
              id: site.id,
              label: `${site.code} · ${site.name}`,
              checked: draft.siteIds.includes(site.id),
              disabled: !canWrite,
            }))}
            onToggle={(id, on) => toggle('siteIds', id, on)}
          />
          <PickList
            legend="Projects"
            loading={projects.isPending}
            error={projects.error}
            truncated={projects.data?.truncated ?? false}
            empty="The account has no projects."
            items={reachableProjects.map((project) => ({
              id: project.id,
              label: `${project.code} · ${project.name}`,
              description: projectCoveredBySite(project)
                ? 'Included with its site'
                : project.hidden || project.completed
                  ? `Not shown in the portal while ${project.hidden ? 'hidden' : 'completed'}`
                  : undefined,
              checked: draft.projectIds.includes(project.id) || projectCoveredBySite(project),
              disabled: !canWrite || projectCoveredBySite(project),
            }))}
            onToggle={(id, on) => toggle('projectIds', id, on)}
          />
        </SimpleGrid>
      )}
      {failure ? <ErrorNotice error={failure} title="The scope was not saved" /> : null}
      {canWrite && (
        <Group gap="xs">
          <Button
            disabled={!changed}
            loading={save.isPending}
            onClick={() => {
              setFailure(null);
              save.mutate({
                contactId: contact.id,
                scope:
                  draft.kind === 'all'
                    ? { kind: 'all' }
                    : { kind: 'selected', siteIds: draft.siteIds, projectIds: draft.projectIds },
              });
            }}
          >
            Save scope
          </Button>
          {changed && (
            <Button variant="default" onClick={() => setDraft(saved)}>
              Discard
            </Button>
          )}
        </Group>
      )}
    </Section>
  );
}

function PickList({
  legend,
  items,
  loading,
  error,
  truncated,
  empty,
  onToggle,
}: {
  legend: string;
  items: { id: string; label: string; description?: string; checked: boolean; disabled: boolean }[];
  loading: boolean;
  error: unknown;
  truncated: boolean;
  empty: string;
  onToggle: (id: string, on: boolean) => void;
}) {
  return (
    <Stack gap={6} component="fieldset" style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
      <Text component="legend" fw={500} size="sm">
        {legend}
      </Text>
      {loading ? (
        <LoadingState label={`Loading ${legend.toLowerCase()}`} />
      ) : error ? (
        <ErrorNotice error={error} title={`The ${legend.toLowerCase()} could not be loaded`} />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <ScrollArea.Autosize mah={320} type="auto" offsetScrollbars>
          <Stack gap={6}>
            {items.map((item) => (
              <Checkbox
                key={item.id}
                label={item.label}
                description={item.description}
                checked={item.checked}
                disabled={item.disabled}
                onChange={(event) => onToggle(item.id, event.currentTarget.checked)}
              />
            ))}
          </Stack>
        </ScrollArea.Autosize>
      )}
      {truncated && (
        <Text size="xs" c="dimmed">
          Only the first {pickerLimit} are listed.
        </Text>
      )}
    </Stack>
  );
}

function VisibleProjectsSection({ contact }: { contact: Contact }) {
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const visible = useQuery({
    ...actionQuery('directory.listVisibleProjects', { contactId: contact.id, cursor, limit: 25 }),
    placeholderData: keepPreviousData,
  });
  return (
    <Section id="access-visible-heading" title="What this contact sees">
      <Text size="sm" c="dimmed">
        The projects the portal shows this contact now, by its access status, scope and the projects&apos; own settings.
      </Text>
      <CursorTable<Project>
        label="Projects this contact sees"
        query={visible}
        cursor={cursor}
        onCursorChange={setCursor}
        empty={
          <EmptyState title="Nothing visible">
            {contact.access.status === 'enabled'
              ? 'The scope and the projects’ settings let no project through.'
              : 'The contact sees nothing while its portal access is not enabled.'}
          </EmptyState>
        }
        columns={[
          { accessor: 'code', title: 'Code' },
          { accessor: 'name', title: 'Project' },
        ]}
      />
    </Section>
  );
}
