import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import type { Document, FileType } from '@portal/contracts';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { DocumentFileInput, fileErrorOf } from './upload-document-dialog.tsx';
import { useVersionUpload } from './use-version-upload.ts';
import { UploadProgressBar } from './version-parts.tsx';

/** "Upload new version": a file for an existing document, sent with a progress bar and checked. */
export function UploadVersionDialog({
  document,
  fileType,
  onClose,
}: {
  document: Document;
  fileType: FileType | undefined;
  onClose: () => void;
}) {
  const upload = useVersionUpload();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const next = (document.latestVersion?.number ?? 0) + 1;

  async function submit() {
    const problem = fileErrorOf(file, fileType);
    setFileError(problem);
    if (problem || !file) return;
    setFailure(null);
    try {
      const version = await upload.upload(document.id, file, fileType);
      notifySaved(`Version ${version.number} of ${document.title} uploaded`);
      onClose();
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      setFailure(error);
    }
  }

  return (
    <Modal opened onClose={onClose} title={`Upload new version of ${document.title}`} centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
        noValidate
      >
        <Stack gap="sm">
          <Text size="sm">
            It becomes version {next}; customers get it once it has passed the malware scan. Earlier versions stay.
          </Text>
          <DocumentFileInput
            fileType={fileType}
            value={file}
            disabled={upload.pending}
            error={fileError}
            data-autofocus
            onChange={(chosen) => {
              setFile(chosen);
              setFileError(chosen ? fileErrorOf(chosen, fileType) : null);
            }}
          />
          {upload.progress && <UploadProgressBar progress={upload.progress} />}
          {failure ? <ErrorNotice error={failure} title="The file was not uploaded" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={upload.pending} leftSection={<IconUpload size={16} aria-hidden />}>
              Upload version
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
