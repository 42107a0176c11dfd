import type { StaffPermission } from '@portal/contracts';
import { useSession } from '../boot.tsx';

/** Whether the signed-in staff member holds a permission; screens hide the controls they may not use. */
export function useCan(permission: StaffPermission): boolean {
  const session = useSession();
  return 'permissions' in session && session.permissions.includes(permission);
}
