import { Badge, Grid, NavLink, Paper, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import { z } from 'zod';
import { emailTemplateNameSchema } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState, ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { Page } from '../../shared/layout/page.tsx';
import { PermissionRequired } from '../../shared/session/permission-required.tsx';
import { adminRootRoute } from '../root-route.tsx';
import { emailBodyViews, TemplatePreview } from './email-template-preview.tsx';
import { templateTitleOf } from './email-words.tsx';

/** The screen's view in the URL: which template, and which of its bodies. */
const emailTemplatesSearchSchema = z.object({
  template: emailTemplateNameSchema.optional().catch(undefined),
  body: z.enum(emailBodyViews).optional().catch(undefined),
});
type EmailTemplatesSearch = z.infer<typeof emailTemplatesSearchSchema>;

/** `/email-templates`: every e-mail the portal sends, rendered with sample values (settings:write). */
export const emailTemplatesRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: 'email-templates',
  validateSearch: emailTemplatesSearchSchema,
  component: () => (
    <PermissionRequired permission="settings:write" screen="E-mail templates">
      <EmailTemplatesScreen />
    </PermissionRequired>
  ),
});

function EmailTemplatesScreen() {
  const search: EmailTemplatesSearch = emailTemplatesRoute.useSearch();
  const navigate = emailTemplatesRoute.useNavigate();
  const templates = useQuery(actionQuery('notifications.listEmailTemplates', {}));
  const chosen = templates.data?.items.find((template) => template.name === search.template);
  return (
    <Page
      title="E-mail templates"
      description="The e-mails the portal sends, as they look with sample values. An operator can replace a template with files of the same name in the template folder; those show as “Overridden”."
    >
      {templates.isPending ? (
        <LoadingState label="Loading the e-mail templates" />
      ) : templates.error ? (
        <ErrorNotice error={templates.error} onRetry={() => void templates.refetch()} />
      ) : (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Paper withBorder p={4} component="nav" aria-label="E-mail templates">
              {templates.data.items.map((template) => (
                <NavLink
                  key={template.name}
                  renderRoot={(props) => (
                    <Link {...props} to="/email-templates" search={{ template: template.name, body: search.body }} />
                  )}
                  label={templateTitleOf(template.name)}
                  description={template.name}
                  active={template.name === search.template}
                  aria-current={template.name === search.template ? 'page' : undefined}
                  rightSection={
                    template.overridden ? (
                      <Badge size="sm" variant="light" color="grape">
                        Overridden
                      </Badge>
                    ) : undefined
                  }
                />
              ))}
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            {chosen ? (
              // A new template starts its editor afresh from its own sample.
              <TemplatePreview
                key={chosen.name}
                template={chosen}
                body={search.body ?? 'html'}
                onBodyChange={(body) =>
                  void navigate({ search: (previous: EmailTemplatesSearch) => ({ ...previous, body }) })
                }
              />
            ) : (
              <Paper withBorder p="md">
                <EmptyState title={search.template ? 'No such template' : 'Choose a template'}>
                  {search.template
                    ? `There is no e-mail template “${search.template}”. Choose one from the list.`
                    : 'Choose an e-mail from the list to see its subject and bodies with sample values, and try values of your own.'}
                </EmptyState>
              </Paper>
            )}
          </Grid.Col>
        </Grid>
      )}
      <Text size="xs" c="dimmed">
        Templates are files of the notifications service; changing them is an operator’s task.
      </Text>
    </Page>
  );
}
