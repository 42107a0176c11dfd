import type { ReactNode } from 'react';
import type { StaffPermission } from '@portal/contracts';
import { EmptyState } from '../feedback/states.tsx';
import { Page } from '../layout/page.tsx';
import { useCan } from './permissions.ts';

/**
 * A whole screen only some staff may use (its navigation entry is hidden from the others): opened
 * by its address anyway, it says so instead of asking the API, which would answer 403.
 */
export function PermissionRequired({
  permission,
  screen,
  children,
}: {
  permission: StaffPermission;
  /** The screen's title, for the page heading and the browser tab. */
  screen: string;
  children: ReactNode;
}) {
  if (useCan(permission)) return children;
  return (
    <Page title={`${screen}: not available`}>
      <EmptyState title="This screen is not available to you">
        It is for staff who manage the portal’s settings. Ask an administrator if you need it.
      </EmptyState>
    </Page>
  );
}
