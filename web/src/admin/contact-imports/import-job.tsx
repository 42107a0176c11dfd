import { Alert, Badge, CloseButton, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useEffect, useState } from 'react';
import type { ImportJob } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';
import { LabelledProgress } from '../../shared/feedback/progress-bar.tsx';
import { ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';

/**
 * Import jobs (contacts CSV, invoice references) share one shape and one view: a progress bar while
 * the directory works through the file, then the counts and the rows it did not take, by line.
 */
export type ImportJobAction = 'directory.getContactImport' | 'directory.getInvoiceReferenceImport';

/** How often a running job is asked for its progress. */
const pollMs = 500;

/** The job behind `importId`, asked again every half second while it runs and never after. */
export function useImportJob(action: ImportJobAction, importId: string | undefined) {
  return useQuery({
    ...actionQuery(action, { importId: importId ?? '' }),
    enabled: Boolean(importId),
    // A finished job never changes again.
    staleTime: (query) => (query.state.data && query.state.data.status !== 'running' ? Infinity : 0),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? pollMs : false),
    refetchIntervalInBackground: true,
  });
}

const counts = new Intl.NumberFormat();
export const formatCount = (value: number) => counts.format(value);

/** Singular and plural of what a job counts: rows of a file, or invoice references. */
export interface ImportUnit {
  one: string;
  many: string;
}
const countOf = (value: number, unit: ImportUnit) => `${formatCount(value)} ${value === 1 ? unit.one : unit.many}`;

/**
 * The bar's value in percent, and its words. The directory knows the total only at the end, so
 * while it runs the bar measures against `expected` (what the browser counted before sending); a
 * job opened from a link without it shows a moving bar and the rows done so far.
 */
export function progressOf(
  job: ImportJob,
  expected: number | undefined,
  unit: ImportUnit,
): { value: number | null; text: string } {
  const total = job.totalRows ?? expected;
  if (job.status === 'completed') {
    return { value: 100, text: `${formatCount(job.processedRows)} of ${countOf(total ?? job.processedRows, unit)}` };
  }
  if (!total) return { value: null, text: `${countOf(job.processedRows, unit)} so far` };
  // Never 100 before the job says it is done: the last batch may still be committing.
  const percent = Math.min(job.status === 'running' ? 99 : 100, Math.floor((job.processedRows * 100) / total));
  return { value: percent, text: `${formatCount(job.processedRows)} of ${countOf(total, unit)}` };
}

function ImportProgress({ job, expected, unit }: { job: ImportJob; expected: number | undefined; unit: ImportUnit }) {
  const { value, text } = progressOf(job, expected, unit);
  const color = job.status === 'failed' ? 'red' : job.status === 'completed' ? 'teal' : undefined;
  return (
    <LabelledProgress
      label="Import progress"
      percent={value}
      valueText={text}
      status={value === null ? text : `${text} (${value}%)`}
      color={color}
      moving={job.status === 'running'}
    />
  );
}

function Count({ label, value, tone }: { label: string; value: number; tone?: string }) {
  return (
    <Paper withBorder p="sm" radius="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={600} c={tone}>
        {formatCount(value)}
      </Text>
    </Paper>
  );
}

const statusBadges: Record<ImportJob['status'], { label: string; color: string }> = {
  running: { label: 'Running', color: 'blue' },
  completed: { label: 'Completed', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
};

/**
 * Mantine's light variants put shade 6 (or even 9) text on a tint below AA contrast; an outlined
 * alert in shade 9 on white is readable, and dot badges keep the body text colour.
 */
const readableAlert = (color: string) => () => ({
  root: { '--alert-color': `var(--mantine-color-${color}-9)` },
});

const errorsPerPage = 50;

interface ImportJobViewProps {
  action: ImportJobAction;
  importId: string;
  /** The rows (or items) the browser sent, for the bar while the directory does not know its total yet. */
  expected?: number | undefined;
  unit: ImportUnit;
  /** Names an error's position: the CSV line (contacts), or the line an invoice item came from. */
  positionTitle?: string;
  positionOf?: (line: number) => number | string;
  /** Once the job has ended (seen ended on open, too): refresh the lists it changed. */
  onFinished?: (job: ImportJob) => void;
  /** Takes the job off the screen (out of the URL). */
  onDismiss?: () => void;
}

/** A job's progress, then its outcome: counts, a failure if it stopped, and the rows it rejected. */
export function ImportJobView(props: ImportJobViewProps) {
  const job = useImportJob(props.action, props.importId);
  const [page, setPage] = useState(1);
  const ended = job.data && job.data.status !== 'running' ? job.data : null;
  const { onFinished } = props;
  useEffect(() => {
    if (ended) onFinished?.(ended);
    // Once per job: an ended job never changes again.
  }, [ended?.id]);
  if (job.isPending) return <LoadingState label="Loading the import" />;
  if (job.error && !job.data) return <ErrorNotice error={job.error} onRetry={() => void job.refetch()} />;
  const data = job.data;
  const badge = statusBadges[data.status];
  const errors = data.errors.slice((page - 1) * errorsPerPage, page * errorsPerPage);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="import-job-heading">
      <Stack gap="md">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs">
            <Title order={2} size="h4" id="import-job-heading">
              Import
            </Title>
            <Badge color={badge.color} variant="dot">
              {badge.label}
            </Badge>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Text size="xs" c="dimmed">
              Started {formatDateTime(data.startedAt)}
              {data.finishedAt ? ` · finished ${formatDateTime(data.finishedAt)}` : ''}
            </Text>
            {props.onDismiss && <CloseButton size="sm" aria-label="Hide the import" onClick={props.onDismiss} />}
          </Group>
        </Group>
        {job.error ? <ErrorNotice error={job.error} title="The progress could not be read" /> : null}
        <ImportProgress job={data} expected={props.expected} unit={props.unit} />
        {data.status === 'failed' && (
          <Alert
            color="red"
            variant="outline"
            vars={readableAlert('red')}
            title="The import stopped"
            icon={<IconAlertTriangle aria-hidden />}
          >
            {data.failure ?? 'The import failed.'} What was imported before it stopped stays imported; importing the
            same file again is safe.
          </Alert>
        )}
        {data.status === 'completed' && data.rejected === 0 && (
          <Alert
            color="teal"
            variant="outline"
            vars={readableAlert('teal')}
            title="Imported"
            icon={<IconCircleCheck aria-hidden />}
          >
            Every {props.unit.one} was taken.
          </Alert>
        )}
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" aria-label="Import summary" role="group">
          <Count label="Created" value={data.created} />
          <Count label="Updated" value={data.updated} />
          <Count label="Unchanged" value={data.unchanged} />
          <Count label="Rejected" value={data.rejected} tone={data.rejected > 0 ? 'red.9' : undefined} />
        </SimpleGrid>
        {data.errors.length > 0 && (
          <Stack gap="xs">
            <Title order={3} size="h5">
              Not imported
            </Title>
            <Text size="sm" c="dimmed">
              {data.rejected > data.errors.length
                ? `${formatCount(data.rejected)} ${props.unit.many} were rejected; the first ${formatCount(data.errors.length)} problems are listed.`
                : 'Fix these lines in the file and import it again; lines already imported stay unchanged.'}
            </Text>
            <DataTable
              aria-label="Rows not imported"
              withTableBorder
              borderRadius="sm"
              records={errors}
              idAccessor="line"
              columns={[
                {
                  accessor: 'line',
                  title: props.positionTitle ?? 'Line',
                  width: 90,
                  render: (error) => props.positionOf?.(error.line) ?? error.line,
                },
                {
                  accessor: 'messages',
                  title: 'Problem',
                  render: (error) => (
                    <Stack gap={2}>
                      {error.messages.map((message) => (
                        <Text key={message} size="sm">
                          {message}
                        </Text>
                      ))}
                    </Stack>
                  ),
                },
              ]}
              totalRecords={data.errors.length}
              recordsPerPage={errorsPerPage}
              page={page}
              onPageChange={setPage}
              paginationText={({ from, to, totalRecords }) => `${from}–${to} of ${formatCount(totalRecords)}`}
            />
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
