import type { AccessScope } from '@portal/contracts';

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
