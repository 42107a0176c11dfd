import type { AccessScope, AccessStatus } from '@portal/contracts';

/** A scope in canonical form (ids unique and sorted), so equal scopes compare equal. */
export function canonicalScope(scope: AccessScope): AccessScope {
  if (scope.kind === 'all') return { kind: 'all' };
  return {
    kind: 'selected',
    siteIds: [...new Set(scope.siteIds)].sort(),
    projectIds: [...new Set(scope.projectIds)].sort(),
  };
}

export function sameScope(a: AccessScope, b: AccessScope): boolean {
  return JSON.stringify(canonicalScope(a)) === JSON.stringify(canonicalScope(b));
}

/**
 * Moving a contact whose access is live (invited or enabled) to another site, or between site and
 * account level, changes what it may see as much as a new scope does: the trail records it as a
 * scope change.
 */
export function siteMoveChangesScope(
  accessStatus: AccessStatus,
  fromSiteId: string | null,
  toSiteId: string | null,
): boolean {
  return (accessStatus === 'invited' || accessStatus === 'enabled') && fromSiteId !== toSiteId;
}
