import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActionArgs, FileType } from '@portal/contracts';
import { containsPattern, keysetAfter, pageFromRows, sqlArray } from '@portal/kit';
import { toFileType, type FileTypeRow } from '../persistence/rows.ts';

export async function findFileType(em: EntityManager, id: string): Promise<FileType | null> {
  const rows = await em.execute<FileTypeRow[]>('select * from file_type where id = ?', [id]);
  return rows[0] ? toFileType(rows[0]) : null;
}

export async function findFileTypeByCode(em: EntityManager, code: string): Promise<FileType | null> {
  const rows = await em.execute<FileTypeRow[]>('select * from file_type where code = ?', [code]);
  return rows[0] ? toFileType(rows[0]) : null;
}

export async function listFileTypePage(em: EntityManager, args: ActionArgs<'documents.listFileTypes'>) {
  const after = args.cursor ? keysetAfter(args.cursor, 2) : null;
  const params: unknown[] = [];
  const where: string[] = [];
  if (args.search !== undefined) {
    where.push('(name ilike ? or code ilike ?)');
    params.push(containsPattern(args.search), containsPattern(args.search));
  }
  if (after) {
    where.push('(lower(name), id) > (?, ?::uuid)');
    params.push(...after);
  }
  const rows = await em.execute<(FileTypeRow & { sort_key: string })[]>(
    `select *, lower(name) as sort_key from file_type ${where.length ? `where ${where.join(' and ')}` : ''}
     order by lower(name), id limit ?`,
    [...params, args.limit + 1],
  );
  return pageFromRows(rows, args.limit, toFileType, (row) => [row.sort_key, row.id]);
}

export async function insertFileType(
  em: EntityManager,
  input: Pick<FileType, 'code' | 'name' | 'customerVisible' | 'allowedContentTypes' | 'maxSizeBytes'>,
): Promise<FileType> {
  const rows = await em.execute<FileTypeRow[]>(
    `insert into file_type (id, code, name, customer_visible, allowed_content_types, max_size_bytes)
     values (?, ?, ?, ?, ?::text[], ?) returning *`,
    [
      randomUUID(),
      input.code,
      input.name,
      input.customerVisible,
      sqlArray(input.allowedContentTypes),
      input.maxSizeBytes,
    ],
  );
  return toFileType(rows[0] as FileTypeRow);
}

export async function updateFileTypeRow(em: EntityManager, next: FileType): Promise<FileType> {
  const rows = await em.execute<FileTypeRow[]>(
    `update file_type set code = ?, name = ?, customer_visible = ?, allowed_content_types = ?::text[],
       max_size_bytes = ?, updated_at = now()
     where id = ? returning *`,
    [next.code, next.name, next.customerVisible, sqlArray(next.allowedContentTypes), next.maxSizeBytes, next.id],
  );
  return toFileType(rows[0] as FileTypeRow);
}
