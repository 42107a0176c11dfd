import type moleculer from 'moleculer';
import type { DocumentOwner } from '@portal/contracts';
import { call } from '@portal/kit';

/** An item as the queries read it: its owner by id only. */
export type Unnamed<T extends { owner: unknown }> = Omit<T, 'owner'> & { owner: DocumentOwner };

/**
 * Names each item's owner (the account's number and name, the site's or project's code and name)
 * with one call to the directory for the whole page, so a contact reads where a document belongs.
 */
export async function withOwnerNames<T extends { owner: DocumentOwner & { code: string; name: string } }>(
  ctx: moleculer.Context,
  items: Unnamed<T>[],
): Promise<T[]> {
  if (items.length === 0) return [];
  const idsOf = (kind: DocumentOwner['kind']) => [
    ...new Set(items.filter((item) => item.owner.kind === kind).map((item) => item.owner.id)),
  ];
  const described = await call(ctx, 'directory.describeOwners', {
    accountIds: idsOf('account'),
    siteIds: idsOf('site'),
    projectIds: idsOf('project'),
  });
  const byId = new Map(described.map((owner) => [`${owner.kind}:${owner.id}`, owner]));
  return items.map((item) => {
    const named = byId.get(`${item.owner.kind}:${item.owner.id}`);
    return { ...item, owner: { ...item.owner, code: named?.code ?? '', name: named?.name ?? '' } } as T;
  });
}
