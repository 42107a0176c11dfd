import { IconFolders, IconUserCircle } from '@tabler/icons-react';
import { Outlet, createRootRoute } from '@tanstack/react-router';
import { useBranding, useSession } from '../shared/boot.tsx';
import { AppFrame, type NavItem } from '../shared/layout/app-frame.tsx';
import { signOut } from '../shared/session/web-session.ts';

const icon = { size: 18, 'aria-hidden': true } as const;
const navigation: NavItem[] = [
  { to: '/projects', label: 'Projects', icon: <IconFolders {...icon} /> },
  { to: '/profile', label: 'My profile', icon: <IconUserCircle {...icon} /> },
];

function PortalFrame() {
  const session = useSession();
  return (
    <AppFrame
      branding={useBranding()}
      area="Customer portal"
      user={session.user}
      nav={navigation}
      onSignOut={() => void signOut('portal')}
    >
      <Outlet />
    </AppFrame>
  );
}

export const portalRootRoute = createRootRoute({ component: PortalFrame });
