import { Alert, Button, FileButton, Stack } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { ActionResult } from '@portal/contracts';
import { callAction } from '../../shared/api/action-client.ts';
import { LabelledProgress } from '../../shared/feedback/progress-bar.tsx';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { acceptAttributeOf, fileProblemOf, uploadFile } from '../../shared/files/upload-file.ts';

/** A file the contact uploaded to a project: what finalize answers (documentId, versionId, name, size, scan state). */
export type ProjectFile = ActionResult<'documents.finalizeProjectUpload'>;

type UploadState =
  { phase: 'idle' } | { phase: 'refused'; message: string } | { phase: 'sending'; fileName: string; percent: number };

/**
 * "Upload a file" into a project the contact sees (portal project uploads: start → PUT with
 * progress → finalize). The finalized file goes to `onUploaded`; a refusal shows here.
 */
export function ProjectFileUpload({
  projectId,
  label,
  onUploaded,
  disabled = false,
}: {
  projectId: string | null;
  label: string;
  onUploaded: (file: ProjectFile) => void;
  disabled?: boolean;
}) {
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const upload = useMutation({
    mutationFn: ({ file, projectId: into }: { file: File; projectId: string }) =>
      uploadFile({
        file,
        start: (request) => callAction('documents.startProjectUpload', { projectId: into, ...request }),
        finalize: (uploadId) => callAction('documents.finalizeProjectUpload', { projectId: into, uploadId }),
        onProgress: ({ percent }) => setState({ phase: 'sending', fileName: file.name, percent }),
      }),
    onSuccess: (uploaded) => {
      setState({ phase: 'idle' });
      onUploaded(uploaded);
    },
    onError: () => setState({ phase: 'idle' }),
  });
  const choose = (file: File | null) => {
    if (!file || !projectId) return;
    upload.reset();
    const problem = fileProblemOf(file, undefined, 'the portal');
    if (problem) {
      setState({ phase: 'refused', message: problem });
      return;
    }
    setState({ phase: 'sending', fileName: file.name, percent: 0 });
    upload.mutate({ file, projectId });
  };
  const busy = state.phase === 'sending';
  return (
    <Stack gap="xs">
      <FileButton onChange={choose} accept={acceptAttributeOf()} disabled={busy || disabled || !projectId}>
        {(props) => (
          <Button
            {...props}
            variant="light"
            leftSection={<IconUpload size={16} aria-hidden />}
            loading={busy}
            style={{ alignSelf: 'flex-start' }}
          >
            {label}
          </Button>
        )}
      </FileButton>
      {state.phase === 'sending' && (
        <LabelledProgress
          label="Upload progress"
          percent={state.percent}
          valueText={`${state.percent}% of ${state.fileName}`}
          status={`${state.fileName}: ${state.percent}%`}
          moving
        />
      )}
      {state.phase === 'refused' && (
        <Alert color="red" variant="light" title="This file cannot be sent" role="alert">
          {state.message}
        </Alert>
      )}
      {upload.error ? <ErrorNotice error={upload.error} title="The file was not uploaded" /> : null}
    </Stack>
  );
}
