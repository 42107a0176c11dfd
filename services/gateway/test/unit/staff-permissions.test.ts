import { describe, expect, it } from 'vitest';
import { actionContracts, staffPermissions, staffRoles } from '@portal/contracts';
import { permissionsOfRoles, staffRolePermissions } from '../../src/auth/staff-permissions.ts';

describe('staff role → permission map', () => {
  it('covers exactly the staff roles of the contracts', () => {
    expect(Object.keys(staffRolePermissions).sort()).toEqual([...staffRoles].sort());
  });

  it('grants admins everything, managers portal access, documents and submittals but no settings, viewers read only (not even the export); everyone reads their own bell', () => {
    expect([...permissionsOfRoles(['portal-admin'])].sort()).toEqual([...staffPermissions].sort());
    expect([...permissionsOfRoles(['portal-manager'])].sort()).toEqual([
      'access:write',
      'directory:export',
      'directory:read',
      'directory:write',
      'documents:read',
      'documents:write',
      'notifications:read',
      'submittals:read',
      'submittals:write',
    ]);
    expect([...permissionsOfRoles(['viewer'])].sort()).toEqual([
      'directory:read',
      'documents:read',
      'notifications:read',
      'submittals:read',
    ]);
  });

  it('ignores roles the portal does not know and unions the ones it does', () => {
    expect(permissionsOfRoles(['offline_access', 'default-roles-staff', 'uma_authorization']).size).toBe(0);
    expect(permissionsOfRoles(['toString', '__proto__', 'constructor']).size).toBe(0);
    expect([...permissionsOfRoles(['viewer', 'portal-manager'])].sort()).toEqual([
      'access:write',
      'directory:export',
      'directory:read',
      'directory:write',
      'documents:read',
      'documents:write',
      'notifications:read',
      'submittals:read',
      'submittals:write',
    ]);
  });

  it('every permission an HTTP contract requires is held by the admin role', () => {
    const admin = permissionsOfRoles(['portal-admin']);
    for (const [action, contract] of Object.entries(actionContracts)) {
      const binding = 'http' in contract ? contract.http : undefined;
      if (binding?.audience === 'staff') expect(admin.has(binding.permission), action).toBe(true);
    }
  });
});
