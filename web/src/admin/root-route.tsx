import { Badge, VisuallyHidden } from '@mantine/core';
import {
  IconBuildingStore,
  IconCategory,
  IconFileImport,
  IconFiles,
  IconInbox,
  IconMailCog,
  IconMailSearch,
  IconMailForward,
  IconReceipt,
  IconSettings,
  IconTransferIn,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Outlet, createRootRoute } from '@tanstack/react-router';
import { useBranding, useSession } from '../shared/boot.tsx';
import { appBells } from '../shared/bell/bell-config.ts';
import { AppFrame, type NavItem } from '../shared/layout/app-frame.tsx';
import { useCan } from '../shared/session/permissions.ts';
import { signOut } from '../shared/session/web-session.ts';
import { incomingQueueQuery } from './submittals/incoming-submittals.ts';

const icon = { size: 18, 'aria-hidden': true } as const;
/**
 * The staff screens; "Customer submittals" carries the count of unprocessed ones when there are any.
 * Screens everyone may read are listed for all (their controls hide); the e-mail screens answer
 * only with `settings:write`, so only those who hold it see them.
 */
const navigationOf = (waiting: { count: number; more: boolean } | undefined, canWriteSettings: boolean): NavItem[] => [
  { to: '/accounts', label: 'Accounts', icon: <IconBuildingStore {...icon} /> },
  {
    to: '/incoming-submittals',
    label: 'Customer submittals',
    icon: <IconTransferIn {...icon} />,
    badge:
      waiting && waiting.count > 0 ? (
        <Badge size="sm" circle={waiting.count < 10 && !waiting.more}>
          {waiting.count}
          {waiting.more ? '+' : ''}
          <VisuallyHidden> unprocessed</VisuallyHidden>
        </Badge>
      ) : undefined,
  },
  { to: '/account-classes', label: 'Account classes', icon: <IconCategory {...icon} /> },
  { to: '/file-types', label: 'File types', icon: <IconFiles {...icon} /> },
  { to: '/invitations', label: 'Pending invitations', icon: <IconMailForward {...icon} /> },
  { to: '/access-requests', label: 'Access requests', icon: <IconInbox {...icon} /> },
  { to: '/contact-imports', label: 'Contact import', icon: <IconFileImport {...icon} /> },
  { to: '/invoice-references', label: 'Invoice references', icon: <IconReceipt {...icon} /> },
  { to: '/system-options', label: 'System options', icon: <IconSettings {...icon} /> },
  ...(canWriteSettings
    ? [
        { to: '/email-templates', label: 'E-mail templates', icon: <IconMailCog {...icon} /> },
        { to: '/email-log', label: 'E-mail log', icon: <IconMailSearch {...icon} /> },
      ]
    : []),
];

function AdminFrame() {
  const session = useSession();
  const canWriteSettings = useCan('settings:write');
  const queue = useQuery(incomingQueueQuery()).data;
  const waiting = queue && {
    count: queue.items.reduce((sum, entry) => sum + entry.unprocessedCount, 0),
    more: queue.nextCursor !== null,
  };
  return (
    <AppFrame
      branding={useBranding()}
      area="Staff"
      user={session.user}
      bell={appBells.admin}
      nav={navigationOf(waiting, canWriteSettings)}
      onSignOut={() => void signOut('admin')}
    >
      <Outlet />
    </AppFrame>
  );
}

export const adminRootRoute = createRootRoute({ component: AdminFrame });
