import type moleculer from 'moleculer';
import type { ActionArgs, ActionResult, DocumentOwner } from '@portal/contracts';
import { call } from '@portal/kit';

/** An item as the queries read it: its owner by id only. */
export type Unnamed<T extends { owner: unknown }> = Omit<T, 'owner'> & { owner: DocumentOwner };
type NamedOwner = DocumentOwner & { code: string; name: string };
type DescribeOwners = (
  ids: Required<ActionArgs<'directory.describeOwners'>>,
) => Promise<ActionResult<'directory.describeOwners'>>;

/**
 * Names each item's owner (the account's number and name, the site's or project's code and name)
 * with one lookup for the whole page, so a contact reads where a document belongs.
 */
export async function nameOwners<T extends { owner: NamedOwner }>(
  items: Unnamed<T>[],
  describe: DescribeOwners,
): Promise<T[]> {
  if (items.length === 0) return [];
  const idsOf = (kind: DocumentOwner['kind']) => [
    ...new Set(items.filter((item) => item.owner.kind === kind).map((item) => item.owner.id)),
  ];
  const described = await describe({
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

/** `nameOwners` with the directory's `describeOwners` action. */
export function withOwnerNames<T extends { owner: NamedOwner }>(
  ctx: moleculer.Context,
  items: Unnamed<T>[],
): Promise<T[]> {
  return nameOwners(items, (ids) => call(ctx, 'directory.describeOwners', ids));
}
