import { Badge, Group, Stack, Text } from '@mantine/core';
import { actorSchema, type Document, type DocumentVersion, type ScanState } from '@portal/contracts';
import { LabelledProgress } from '../../shared/feedback/progress-bar.tsx';
import { formatFileSize, type UploadProgress } from '../../shared/files/upload-file.ts';

const scanBadges: Record<ScanState, { label: string; color: string; help: string }> = {
  pending: {
    label: 'Scanning',
    color: 'yellow',
    help: 'Being scanned for malware; it can be downloaded once it passes.',
  },
  clean: { label: 'Clean', color: 'green', help: 'Passed the malware scan.' },
  infected: { label: 'Quarantined', color: 'red', help: 'The malware scan found something; it cannot be downloaded.' },
};

/** A version's scan state as a badge ("Scanning", "Clean", "Quarantined") with its meaning on hover. */
export function ScanStateBadge({ state, signature }: { state: ScanState; signature?: string | null }) {
  const badge = scanBadges[state];
  return (
    <Badge
      size="sm"
      variant="light"
      color={badge.color}
      title={signature ? `${badge.help} (${signature})` : badge.help}
    >
      {badge.label}
    </Badge>
  );
}

/** While a version waits for its malware scan, the views showing it ask again this often. */
export const scanPollMs = 2000;

/** Whether a document waits for a scan, so its views poll until the scan is done. */
export const awaitsScan = (document: Pick<Document, 'latestVersion'>) =>
  document.latestVersion?.scanState === 'pending';

/**
 * The "Current version" cell: the clean version's file and size, and beside it a newer version's
 * scan state; without a clean version, "Scanning", "Quarantined" or "No file yet".
 */
export function CurrentVersionCell({ document }: { document: Document }) {
  const { currentVersion: current, latestVersion: latest } = document;
  const newer = latest && latest.id !== current?.id ? latest : null;
  if (!current && !latest) {
    return (
      <Text size="sm" c="dimmed">
        No file yet
      </Text>
    );
  }
  return (
    <Stack gap={2}>
      {current && (
        <Text size="sm">
          v{current.number} · {current.fileName} · {formatFileSize(current.sizeBytes)}
        </Text>
      )}
      {newer && (
        <Group gap={6} wrap="nowrap">
          {current && (
            <Text size="xs" c="dimmed">
              v{newer.number}
            </Text>
          )}
          <ScanStateBadge state={newer.scanState} signature={newer.scanSignature} />
        </Group>
      )}
    </Stack>
  );
}

/** Who uploaded a version, as staff read it: "You", "Staff", "Contact". */
export function uploaderOf(version: Pick<DocumentVersion, 'uploadedBy'>, me: string): string {
  const actor = actorSchema.safeParse(version.uploadedBy);
  if (!actor.success) return 'Unknown';
  if (actor.data.kind === 'staff') return actor.data.userId === me ? 'You' : 'Staff';
  if (actor.data.kind === 'contact') return 'Contact';
  return 'System';
}

const phaseWords: Record<UploadProgress['phase'], string> = {
  starting: 'Preparing the upload',
  sending: 'Sending the file',
  checking: 'Checking the file',
};

/** The upload's progress bar, named "Upload progress", with the step and the bytes in words. */
export function UploadProgressBar({ progress }: { progress: UploadProgress }) {
  return (
    <LabelledProgress
      label="Upload progress"
      percent={progress.percent}
      valueText={`${phaseWords[progress.phase]}: ${formatFileSize(progress.sentBytes)} of ${formatFileSize(progress.totalBytes)}`}
      status={`${phaseWords[progress.phase]} (${progress.percent}%)`}
      moving={progress.phase !== 'sending' || progress.percent < 100}
    />
  );
}
