import { Badge, VisuallyHidden } from '@mantine/core';
import { IconFileDescription, IconFolders, IconInbox, IconTransfer, IconUserCircle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Outlet, createRootRoute, createRoute, retainSearchParams } from '@tanstack/react-router';
import { z } from 'zod';
import { SessionGate, useBranding, useSession } from '../shared/boot.tsx';
import { appBells } from '../shared/bell/bell-config.ts';
import { AppFrame, type NavItem } from '../shared/layout/app-frame.tsx';
import { signOut } from '../shared/session/web-session.ts';
import { AccountSwitcher } from './accounts/account-switcher.tsx';
import { portalProfileQuery } from './accounts/portal-profile.ts';
import { openRequestsQuery } from './requests/open-requests.ts';

const icon = { size: 18, 'aria-hidden': true } as const;
/** The portal's screens; "Requests" carries the count of open requests when there are any. */
function navigationOf(openRequests: { count: number; more: boolean } | undefined): NavItem[] {
  return [
    { to: '/projects', label: 'Projects', icon: <IconFolders {...icon} /> },
    { to: '/documents', label: 'Documents', icon: <IconFileDescription {...icon} /> },
    {
      to: '/requests',
      label: 'Requests',
      icon: <IconInbox {...icon} />,
      badge:
        openRequests && openRequests.count > 0 ? (
          <Badge size="sm" circle={openRequests.count < 10 && !openRequests.more}>
            {openRequests.count}
            {openRequests.more ? '+' : ''}
            <VisuallyHidden> open</VisuallyHidden>
          </Badge>
        ) : undefined,
    },
    { to: '/submittals', label: 'Submittals', icon: <IconTransfer {...icon} /> },
    { to: '/profile', label: 'My profile', icon: <IconUserCircle {...icon} /> },
  ];
}

/** The bare root: the public pages and the signed-in app hang from it side by side. */
export const portalRootRoute = createRootRoute({ component: Outlet });

/**
 * `?account=`: the one account a contact who reaches several has chosen in the header ("All
 * accounts" when absent). Kept across the signed-in screens, so a link reproduces the view.
 */
const signedInSearchSchema = z.object({ account: z.uuid().optional().catch(undefined) });
export type SignedInSearch = z.infer<typeof signedInSearchSchema>;

/** Every screen behind sign-in: the session gate, then the shared frame with the account switcher. */
export const signedInRoute = createRoute({
  getParentRoute: () => portalRootRoute,
  id: 'signed-in',
  validateSearch: signedInSearchSchema,
  search: { middlewares: [retainSearchParams<SignedInSearch>(['account'])] },
  component: SignedInApp,
});

function SignedInApp() {
  return (
    <SessionGate app="portal">
      <PortalFrame />
    </SessionGate>
  );
}

function PortalFrame() {
  const session = useSession();
  const profile = useQuery(portalProfileQuery());
  const openRequests = useQuery(openRequestsQuery()).data;
  const { account } = signedInRoute.useSearch();
  const navigate = signedInRoute.useNavigate();
  return (
    <AppFrame
      branding={useBranding()}
      user={session.user}
      bell={appBells.portal}
      nav={navigationOf(openRequests && { count: openRequests.items.length, more: openRequests.nextCursor !== null })}
      headerExtra={
        <AccountSwitcher
          accounts={profile.data?.accounts ?? []}
          value={account}
          // The choice narrows the projects: switching shows them, keeping a search typed there.
          onChange={(accountId) =>
            void navigate({
              to: '/projects',
              search: (previous: SignedInSearch & { search?: string }) => ({
                search: previous.search,
                account: accountId,
              }),
            })
          }
        />
      }
      onSignOut={() => void signOut('portal')}
    >
      <Outlet />
    </AppFrame>
  );
}
