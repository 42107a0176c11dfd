import { queryOptions, useQuery } from '@tanstack/react-query';
import type { FileType } from '@portal/contracts';
import { callAction } from '../../shared/api/action-client.ts';
import type { ApiError } from '../../shared/api/api-error.ts';
import { collect } from '../contacts/account-directory.ts';

/** What a file type change refreshes: its lists (the pickers' too, whose key starts the same). */
export const fileTypeChangeInvalidates = ['documents.listFileTypes'] as const;

/** Every file type, for a file type select and for naming a document's type in a table. */
export const allFileTypesQuery = () =>
  queryOptions<{ items: FileType[]; truncated: boolean }, ApiError>({
    queryKey: ['documents.listFileTypes', { all: true }],
    queryFn: ({ signal }) => collect((cursor) => callAction('documents.listFileTypes', { limit: 100, cursor }, signal)),
  });

/** The file types as select options and by id; `error` for the select to show. */
export function useFileTypes() {
  const fileTypes = useQuery(allFileTypesQuery());
  const items: FileType[] = fileTypes.data?.items ?? [];
  return {
    items,
    byId: new Map(items.map((fileType) => [fileType.id, fileType])),
    options: items.map((fileType) => ({ value: fileType.id, label: fileType.name })),
    loading: fileTypes.isPending,
    error: fileTypes.error,
  };
}
