import {
  IconBuildingStore,
  IconCategory,
  IconFileImport,
  IconFiles,
  IconInbox,
  IconMailForward,
  IconReceipt,
  IconSettings,
} from '@tabler/icons-react';
import { Outlet, createRootRoute } from '@tanstack/react-router';
import { useBranding, useSession } from '../shared/boot.tsx';
import { appBells } from '../shared/bell/bell-config.ts';
import { AppFrame, type NavItem } from '../shared/layout/app-frame.tsx';
import { signOut } from '../shared/session/web-session.ts';

const icon = { size: 18, 'aria-hidden': true } as const;
const navigation: NavItem[] = [
  { to: '/accounts', label: 'Accounts', icon: <IconBuildingStore {...icon} /> },
  { to: '/account-classes', label: 'Account classes', icon: <IconCategory {...icon} /> },
  { to: '/file-types', label: 'File types', icon: <IconFiles {...icon} /> },
  { to: '/invitations', label: 'Pending invitations', icon: <IconMailForward {...icon} /> },
  { to: '/access-requests', label: 'Access requests', icon: <IconInbox {...icon} /> },
  { to: '/contact-imports', label: 'Contact import', icon: <IconFileImport {...icon} /> },
  { to: '/invoice-references', label: 'Invoice references', icon: <IconReceipt {...icon} /> },
  { to: '/system-options', label: 'System options', icon: <IconSettings {...icon} /> },
];

function AdminFrame() {
  const session = useSession();
  return (
    <AppFrame
      branding={useBranding()}
      area="Staff"
      user={session.user}
      bell={appBells.admin}
      nav={navigation}
      onSignOut={() => void signOut('admin')}
    >
      <Outlet />
    </AppFrame>
  );
}

export const adminRootRoute = createRootRoute({ component: AdminFrame });
