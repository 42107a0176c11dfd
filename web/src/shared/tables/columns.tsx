import { Badge, Button, Group, VisuallyHidden } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';

/** One button of a row: its visible word and, for screen readers, which row it acts on. */
export interface RowAction<T> {
  /** The visible word, e.g. "Edit". */
  label: string;
  /** The full name, e.g. "Edit site N-01" (it starts with the label, so voice control finds it). */
  name: (record: T) => string;
  onClick: (record: T) => void;
  color?: string;
  /** Whether the row offers it (e.g. not on archived rows); always by default. */
  when?: (record: T) => boolean;
}

/** A last column of small buttons per row; leave it out entirely for people who may not use them. */
export function rowActionsColumn<T>(actions: RowAction<T>[]): DataTableColumn<T> {
  return {
    accessor: 'row-actions',
    title: <VisuallyHidden>Actions</VisuallyHidden>,
    textAlign: 'right',
    render: (record) => (
      <Group gap={4} justify="flex-end" wrap="nowrap">
        {actions
          .filter((action) => action.when?.(record) ?? true)
          .map((action) => (
            <Button
              key={action.label}
              size="compact-sm"
              variant="subtle"
              color={action.color}
              aria-label={action.name(record)}
              onClick={(event) => {
                // A row may open on click; the button acts on its own.
                event.stopPropagation();
                action.onClick(record);
              }}
            >
              {action.label}
            </Button>
          ))}
      </Group>
    ),
  };
}

/** The name of a record that can be archived, with an "Archived" badge when it is. */
export function archivableNameColumn<T extends { name: string; archivedAt: string | null }>(
  title = 'Name',
): DataTableColumn<T> {
  return {
    accessor: 'name',
    title,
    render: (record) => (
      <Group gap={6} wrap="nowrap">
        {record.name}
        {record.archivedAt && (
          <Badge size="xs" color="gray">
            Archived
          </Badge>
        )}
      </Group>
    ),
  };
}
