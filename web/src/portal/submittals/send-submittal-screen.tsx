import {
  Anchor,
  Button,
  CloseButton,
  Group,
  NativeSelect,
  Paper,
  Radio,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { createRoute, useNavigate, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { incomingSubmittalCreateSchema } from '@portal/contracts';
import { useActionMutation } from '../../shared/api/queries.ts';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { formatFileSize } from '../../shared/files/upload-file.ts';
import { Page } from '../../shared/layout/page.tsx';
import { projectLabel } from '../documents/owner-names.ts';
import { signedInRoute } from '../root-route.tsx';
import { ProjectFileUpload, type ProjectFile } from './project-file-upload.tsx';
import { useProjectNames } from './submittals-screen.tsx';

/** `/submittals/send`: the contact sends its own submittal (transmittal number, note, files, the letter) into a project. */
export const sendSubmittalRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: 'submittals/send',
  component: SendSubmittalScreen,
});

const scanWords: Record<ProjectFile['scanState'], string> = {
  clean: 'Checked',
  pending: 'Being checked',
  infected: 'Refused: a virus was found',
};

function SendSubmittalScreen() {
  const navigate = useNavigate();
  const { projects } = useProjectNames();
  const [projectId, setProjectId] = useState('');
  const [transmittalNumber, setTransmittalNumber] = useState('');
  const [note, setNote] = useState('');
  const [files, setFiles] = useState<ProjectFile[]>([]);
  const [letterId, setLetterId] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const send = useActionMutation('submittals.createIncomingSubmittal', {
    invalidates: ['submittals.listPortalIncomingSubmittals'],
    onSuccess: (sent) => {
      notifySaved(`Submittal ${sent.transmittalNumber} sent`);
      void navigate({
        to: '/submittals',
        search: (previous: Record<string, unknown>) => ({ ...previous, tab: 'mine' }),
      });
    },
  });
  const changeProject = (next: string) => {
    // Files are uploaded into one project: another project starts the list again.
    if (next !== projectId) {
      setFiles([]);
      setLetterId(null);
    }
    setProjectId(next);
  };
  const submit = () => {
    const params = {
      projectId,
      transmittalNumber,
      note: note.trim() || null,
      files: files.map((file) => ({ versionId: file.versionId, isLetter: file.versionId === letterId })),
    };
    const parsed = incomingSubmittalCreateSchema.safeParse(params);
    const found: Record<string, string> = {};
    if (!projectId) found['projectId'] = 'Choose a project';
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'files');
        if (field === 'projectId') continue;
        found[field] ??= field === 'files' && files.length === 0 ? 'Upload at least one file' : issue.message;
      }
    }
    if (files.some((file) => file.scanState !== 'clean'))
      found['files'] = 'Remove the files that did not pass the check';
    setErrors(found);
    if (Object.keys(found).length > 0 || !parsed.success) return;
    send.mutate(parsed.data);
  };
  return (
    <Page
      title="Send a submittal"
      description={
        <Anchor component={Link} to="/submittals" size="sm">
          <IconArrowLeft size={14} aria-hidden /> All submittals
        </Anchor>
      }
    >
      <Paper withBorder p="md" maw={760}>
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <Stack gap="sm">
            <NativeSelect
              label="Project"
              required
              value={projectId}
              error={errors['projectId']}
              onChange={(event) => changeProject(event.currentTarget.value)}
              data={[
                { value: '', label: 'Choose a project' },
                ...projects.map((project) => ({ value: project.id, label: projectLabel(project) })),
              ]}
            />
            <TextInput
              label="Transmittal number"
              description="Your own number for this submittal."
              required
              value={transmittalNumber}
              error={errors['transmittalNumber']}
              onChange={(event) => setTransmittalNumber(event.currentTarget.value)}
            />
            <Textarea
              label="Note"
              autosize
              minRows={2}
              maxRows={8}
              value={note}
              error={errors['note']}
              onChange={(event) => setNote(event.currentTarget.value)}
            />
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                Files
              </Text>
              {files.length > 0 && (
                <Radio.Group
                  label="Transmittal letter"
                  description="Mark the file that is your transmittal letter, if there is one."
                  value={letterId ?? ''}
                  onChange={(value) => setLetterId(value || null)}
                >
                  <Table aria-label="Files to send" mt={4}>
                    <Table.Tbody>
                      {files.map((file) => (
                        <Table.Tr key={file.versionId}>
                          <Table.Td>
                            <Radio value={file.versionId} label={`${file.fileName} is the letter`} />
                          </Table.Td>
                          <Table.Td>{formatFileSize(file.sizeBytes)}</Table.Td>
                          <Table.Td>{scanWords[file.scanState]}</Table.Td>
                          <Table.Td ta="right">
                            <CloseButton
                              size="sm"
                              aria-label={`Remove ${file.fileName}`}
                              onClick={() => {
                                setFiles((list) => list.filter((other) => other.versionId !== file.versionId));
                                if (letterId === file.versionId) setLetterId(null);
                              }}
                            />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Radio.Group>
              )}
              <ProjectFileUpload
                projectId={projectId || null}
                label={projectId ? 'Upload a file' : 'Upload a file (choose a project first)'}
                onUploaded={(file) => setFiles((list) => [...list, file])}
              />
              {errors['files'] && (
                <Text size="sm" c="red.8" role="alert">
                  {errors['files']}
                </Text>
              )}
            </Stack>
            {send.error ? <ErrorNotice error={send.error} title="The submittal was not sent" /> : null}
            <Group justify="flex-end">
              <Button type="submit" loading={send.isPending}>
                Send submittal
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Page>
  );
}
