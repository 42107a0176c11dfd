import { Tabs } from '@mantine/core';
import { Link, useRouterState } from '@tanstack/react-router';

/** Mantine refuses an empty tab value, so the first tab (path '') is known by this one. */
const firstTab = 'details';

/**
 * A record page's tab bar (an account, a contact): each tab is a child route under `basePath`, so
 * a tab is a link, the URL says which one is open, and Back goes to the previous tab.
 */
export function RouteTabs({
  label,
  basePath,
  tabs,
}: {
  /** Names the tab list for screen readers ("Account sections"). */
  label: string;
  /** The record's path, e.g. `/accounts/<id>`; a tab's path is added to it ('' is the record itself). */
  basePath: string;
  tabs: readonly { path: string; label: string }[];
}) {
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const current = pathname.replace(/\/+$/, '').split(basePath)[1]?.replace(/^\//, '').split('/')[0] ?? '';
  return (
    <Tabs value={current || firstTab} keepMounted={false}>
      <Tabs.List aria-label={label} style={{ overflowX: 'auto', flexWrap: 'nowrap' }}>
        {tabs.map((tab) => (
          <Tabs.Tab
            key={tab.path}
            value={tab.path || firstTab}
            renderRoot={(props) => <Link {...props} to={tab.path ? `${basePath}/${tab.path}` : basePath} />}
          >
            {tab.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}
