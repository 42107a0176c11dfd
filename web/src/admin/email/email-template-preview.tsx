import { Box, Button, Code, Group, Paper, Stack, Tabs, Text, Textarea, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ActionResult } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';
import { ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { templateTitleOf, templateWhenOf } from './email-words.tsx';
import { changedValues, parseSampleData, type SampleData } from './sample-data.ts';

type EmailTemplate = ActionResult<'notifications.listEmailTemplates'>['items'][number];

export const emailBodyViews = ['html', 'text'] as const;
export type EmailBodyView = (typeof emailBodyViews)[number];

/** One template: its subject and both bodies rendered by the service, and the values to try. */
export function TemplatePreview({
  template,
  body,
  onBodyChange,
}: {
  template: EmailTemplate;
  body: EmailBodyView;
  onBodyChange: (body: EmailBodyView) => void;
}) {
  const sampleText = JSON.stringify(template.sampleData, null, 2);
  const [draft, setDraft] = useState(sampleText);
  const [problem, setProblem] = useState<string | null>(null);
  const [values, setValues] = useState<SampleData>({});
  const preview = useQuery({
    ...actionQuery('notifications.previewEmailTemplate', { name: template.name, data: values }),
    placeholderData: keepPreviousData,
  });
  const title = templateTitleOf(template.name);
  const rendered = preview.data;

  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Stack gap={2}>
            <Title order={2} size="h3">
              {title}
            </Title>
            <Text size="sm" c="dimmed">
              {templateWhenOf(template.name) ?? `The template “${template.name}”.`}
              {template.overridden ? ' The operator’s template folder replaces the built-in one.' : ''}
            </Text>
          </Stack>
          {preview.error ? (
            <ErrorNotice error={preview.error} title="The template could not be rendered with these values" />
          ) : null}
          {preview.isPending ? (
            <LoadingState label="Rendering the e-mail" />
          ) : rendered && !preview.error ? (
            <Stack gap="sm" aria-busy={preview.isFetching}>
              <Box component="dl" m={0}>
                <Text component="dt" size="xs" c="dimmed" fw={500}>
                  Subject
                </Text>
                <Text component="dd" fw={500} m={0}>
                  {rendered.subject}
                </Text>
              </Box>
              <Tabs value={body} onChange={(next) => next && onBodyChange(next as EmailBodyView)} keepMounted={false}>
                <Tabs.List>
                  <Tabs.Tab value="html">HTML body</Tabs.Tab>
                  <Tabs.Tab value="text">Text body</Tabs.Tab>
                </Tabs.List>
                <Tabs.Panel value="html" pt="sm">
                  <EmailHtmlFrame html={rendered.html} title={`HTML body of “${title}”`} />
                </Tabs.Panel>
                <Tabs.Panel value="text" pt="sm">
                  <Code block style={{ whiteSpace: 'pre-wrap' }}>
                    {rendered.text}
                  </Code>
                </Tabs.Panel>
              </Tabs>
            </Stack>
          ) : null}
        </Stack>
      </Paper>
      <Paper withBorder p="md">
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const parsed = parseSampleData(draft);
            if ('problem' in parsed) {
              setProblem(parsed.problem);
              return;
            }
            setProblem(null);
            setValues(changedValues(template.sampleData, parsed.values));
          }}
        >
          <Stack gap="sm">
            <Textarea
              label="Sample data (JSON)"
              description="The values the template is rendered with. Change some and choose Preview; nothing is saved."
              value={draft}
              onChange={(event) => setDraft(event.currentTarget.value)}
              error={problem}
              autosize
              minRows={6}
              maxRows={20}
              spellCheck={false}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
            <Group justify="flex-end" gap="xs">
              <Button
                variant="default"
                disabled={draft === sampleText && Object.keys(values).length === 0}
                onClick={() => {
                  setDraft(sampleText);
                  setProblem(null);
                  setValues({});
                }}
              >
                Back to the sample
              </Button>
              <Button type="submit" loading={preview.isFetching && !preview.isPending}>
                Preview
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}

/**
 * The e-mail's HTML, shown without trusting it: a template comes from the operator's folder and
 * its values from whoever caused the e-mail, so it is rendered in a frame with `sandbox` and no
 * allowance at all (no scripts, no same origin, no forms, popups or top navigation), from
 * `srcdoc`, never as markup of this page.
 *
 * The CSP: a `srcdoc` document inherits the policy of the page around it (CSP 3, policy container).
 * The app's pages allow `style-src 'self' 'unsafe-inline'` (Mantine writes style elements) and
 * `img-src 'self' data: https:`, so the e-mail's inline `style` attributes and remote images
 * render as a mail client shows them, while its scripts stay blocked twice (sandbox and
 * `script-src 'self'`). `frame-src` (from `default-src 'self'`) does not govern `srcdoc`, which is
 * not fetched. So the preview needs no looser policy and no route of its own; the browser test
 * checks that the header's inline style is applied inside the frame.
 */
function EmailHtmlFrame({ html, title }: { html: string; title: string }) {
  return (
    <Box
      component="iframe"
      title={title}
      sandbox=""
      srcDoc={html}
      referrerPolicy="no-referrer"
      w="100%"
      h={480}
      style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4, background: 'white' }}
    />
  );
}
