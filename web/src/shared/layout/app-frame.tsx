import { AppShell, Burger, Group, Image, Menu, NavLink, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconLogout, IconMailCog } from '@tabler/icons-react';
import { Link, useRouterState } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import type { BellConfig } from '../bell/bell-config.ts';
import { NotificationBell } from '../bell/notification-bell.tsx';
import { emailSettingsPath } from '../email-preferences/email-preferences-config.ts';
import type { Branding } from '../branding/branding.ts';
import type { SessionUser } from '../session/web-session.ts';

export interface NavItem {
  /** A path of the app, e.g. `/accounts` (the router adds `/admin` or `/portal`). */
  to: string;
  label: string;
  icon: ReactNode;
  /** Beside the label, e.g. a count of things waiting ("3"); it becomes part of the link's name. */
  badge?: ReactNode;
}

interface AppFrameProps {
  branding: Branding;
  /** Beside the product name when it is not obvious which app this is ("Staff"); the portal has none. */
  area?: string;
  user: SessionUser;
  nav: NavItem[];
  /** The app's bell (its actions and live stream): in the header, connected while the frame is shown. */
  bell: BellConfig;
  /** Extra controls in the header (the portal's account switcher). */
  headerExtra?: ReactNode;
  onSignOut: () => void;
  children: ReactNode;
}

/** The frame both apps share: header with product, bell and person, navigation (a drawer on phones), content. */
export function AppFrame(props: AppFrameProps) {
  const [navOpen, { toggle, close }] = useDisclosure(false);
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const displayName = props.user.name ?? props.user.email ?? props.user.username ?? 'Signed in';
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !navOpen } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          {/* The product side gives way (the name truncates), so the controls stay on a phone's screen. */}
          <Group gap="sm" wrap="nowrap" miw={0} style={{ flex: 1 }}>
            <Burger opened={navOpen} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Navigation" />
            {props.branding.logoUrl && <Image src={props.branding.logoUrl} alt="" h={28} w="auto" />}
            <Text fw={600} c="brand.8" truncate>
              {props.branding.productName}
            </Text>
            {props.area && (
              <Text size="sm" c="dimmed" visibleFrom="xs">
                {props.area}
              </Text>
            )}
          </Group>
          <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0 }}>
            {props.headerExtra}
            <NotificationBell bell={props.bell} />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton aria-label={`Account menu of ${displayName}`}>
                  <Group gap={4} wrap="nowrap">
                    <Text size="sm" truncate maw={180} visibleFrom="xs">
                      {displayName}
                    </Text>
                    <IconChevronDown size={16} aria-hidden />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{props.user.email ?? displayName}</Menu.Label>
                <Menu.Item
                  leftSection={<IconMailCog size={16} aria-hidden />}
                  renderRoot={(itemProps) => <Link {...itemProps} to={emailSettingsPath} />}
                >
                  E-mail notifications
                </Menu.Item>
                <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={props.onSignOut}>
                  Sign out
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        <ScrollArea>
          {props.nav.map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              leftSection={item.icon}
              rightSection={item.badge}
              active={pathname.endsWith(item.to) || pathname.includes(`${item.to}/`)}
              onClick={close}
            />
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>{props.children}</AppShell.Main>
    </AppShell>
  );
}
