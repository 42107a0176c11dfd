import type { ActionResult } from '@portal/contracts';

type Profile = Pick<ActionResult<'identity.getPortalProfile'>, 'contact' | 'accounts' | 'scope'>;

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * What a contact's access covers, in a sentence: "All sites and projects of Acme Ltd", "All
 * projects of your site at Acme Ltd", or the chosen sites and projects counted. The contact's own
 * account is the first of `accounts` (the API's order); the others are a consolidated account's
 * members.
 */
export function accessScopeInWords({ contact, accounts, scope }: Profile): string {
  const own = accounts[0]?.name ?? 'your account';
  if (scope.kind === 'all') {
    if (contact.siteId) return `All projects of your site at ${own}`;
    const members = accounts.length - 1;
    return members > 0
      ? `All sites and projects of ${own} and its ${count(members, 'member account', 'member accounts')}`
      : `All sites and projects of ${own}`;
  }
  const sites = scope.siteIds.length;
  const projects = scope.projectIds.length;
  if (sites === 0 && projects === 0) return 'No sites or projects have been chosen for you yet';
  const parts = [
    ...(sites > 0 ? [count(sites, 'chosen site', 'chosen sites')] : []),
    ...(projects > 0 ? [count(projects, 'chosen project', 'chosen projects')] : []),
  ];
  // A consolidated account's contact may have sites of several accounts chosen: name the account only when there is one.
  return accounts.length === 1 ? `${parts.join(' and ')} of ${own}` : parts.join(' and ');
}
