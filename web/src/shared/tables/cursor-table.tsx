import { Button, Group, Stack, Text } from '@mantine/core';
import { DataTable, type DataTableColumn } from 'mantine-datatable';
import type { ReactNode } from 'react';
import { ErrorNotice } from '../feedback/states.tsx';

/** One keyset page from the API: `{ items, nextCursor }`. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

interface CursorTableProps<T> {
  /** Names the table for screen readers ("Accounts"). */
  label: string;
  columns: DataTableColumn<T>[];
  /** The list's query (TanStack Query's result): its page, whether it is fetching, its error, a retry. */
  query: { data: CursorPage<T> | undefined; isFetching: boolean; error: unknown; refetch: () => unknown };
  /** Shown when the page is empty: what the person can do next. */
  empty: ReactNode;
  /** The cursor of the page shown (from the URL); absent on the first page. */
  cursor: string | undefined;
  /** Moves the URL to another page; undefined goes back to the first. */
  onCursorChange: (cursor: string | undefined) => void;
  onRowClick?: (record: T) => void;
  /** How a row is told apart: a field (`id` by default) or a function of the row. */
  idAccessor?: (keyof T & string) | ((record: T) => string);
}

/**
 * A server-side table over a keyset-paged action. The cursor lives in the URL, so "Next page" is a
 * navigation and the browser's Back button is "Previous page"; a link reproduces the view.
 */
export function CursorTable<T>(props: CursorTableProps<T>) {
  const { data: page, isFetching: fetching, error } = props.query;
  const retry = () => void props.query.refetch();
  if (error && !page) return <ErrorNotice error={error} onRetry={retry} />;
  const records = page?.items ?? [];
  return (
    <Stack gap="xs">
      {error ? <ErrorNotice error={error} onRetry={retry} /> : null}
      <DataTable<T>
        aria-label={props.label}
        withTableBorder
        borderRadius="sm"
        highlightOnHover={Boolean(props.onRowClick)}
        minHeight={records.length === 0 ? 220 : undefined}
        records={records}
        columns={props.columns}
        fetching={fetching}
        idAccessor={props.idAccessor ?? ('id' as keyof T & string)}
        // The library keeps its empty-state layer over the table; only an empty, settled table gets
        // clickable content in it (otherwise the layer would swallow clicks on the rows). Its gray 6
        // is too faint for WCAG AA, so the message keeps the text colour.
        emptyState={
          records.length === 0 && !fetching ? (
            <div style={{ pointerEvents: 'auto', color: 'var(--mantine-color-text)' }}>{props.empty}</div>
          ) : (
            <span />
          )
        }
        onRowClick={props.onRowClick ? ({ record }) => props.onRowClick?.(record) : undefined}
      />
      <Group justify="space-between" wrap="nowrap">
        <Text size="xs" c="dimmed" aria-live="polite">
          {page ? `${records.length} shown${props.cursor ? ' (not the first page)' : ''}` : ''}
        </Text>
        <Group gap="xs">
          <Button size="xs" variant="default" disabled={!props.cursor} onClick={() => props.onCursorChange(undefined)}>
            First page
          </Button>
          <Button
            size="xs"
            variant="default"
            disabled={!page?.nextCursor}
            onClick={() => props.onCursorChange(page?.nextCursor ?? undefined)}
          >
            Next page
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
