import { staffPermissions, type StaffPermission, type StaffRole } from '@portal/contracts';

/**
 * The one map from staff realm roles to permissions. `satisfies` makes it exhaustive: a role added
 * to the contracts does not compile until it is granted something here.
 */
export const staffRolePermissions = {
  'portal-admin': staffPermissions,
  'portal-manager': [
    'directory:read',
    'directory:write',
    'directory:export',
    'access:write',
    'documents:read',
    'documents:write',
    'notifications:read',
    'submittals:read',
    'submittals:write',
  ],
  viewer: ['directory:read', 'documents:read', 'notifications:read', 'submittals:read'],
} as const satisfies Record<StaffRole, readonly StaffPermission[]>;

const isStaffRole = (role: string): role is StaffRole => Object.hasOwn(staffRolePermissions, role);

/** The permissions a set of realm roles grants; roles the portal does not know (Keycloak defaults) grant nothing. */
export function permissionsOfRoles(roles: readonly string[]): ReadonlySet<StaffPermission> {
  const granted = new Set<StaffPermission>();
  for (const role of roles) {
    if (isStaffRole(role)) for (const permission of staffRolePermissions[role]) granted.add(permission);
  }
  return granted;
}

/** Whether the roles include any staff role at all (a staff realm user may hold none). */
export const hasStaffRole = (roles: readonly string[]): boolean => roles.some(isStaffRole);
