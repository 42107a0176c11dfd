import { describe, expect, it } from 'vitest';
import { accessScopeInWords } from '../../src/portal/profile/access-scope-words.ts';
import { readAccountConsoleUrl, readBranding } from '../../src/shared/branding/branding.ts';

const contact = { id: 'c', firstName: 'Cora', lastName: 'Contact', email: 'cora@customer.test', siteId: null };
const account = (name: string, kind: 'customer' | 'consolidated' = 'customer') => ({
  id: name,
  number: name.toUpperCase(),
  name,
  kind,
});

describe('the access scope in words', () => {
  it('names the account for "all", its members for a consolidated account, and the site for a site-level contact', () => {
    expect(accessScopeInWords({ contact, accounts: [account('Acme')], scope: { kind: 'all' } })).toBe(
      'All sites and projects of Acme',
    );
    expect(
      accessScopeInWords({
        contact,
        accounts: [account('Acme Group', 'consolidated'), account('Acme North'), account('Acme South')],
        scope: { kind: 'all' },
      }),
    ).toBe('All sites and projects of Acme Group and its 2 member accounts');
    expect(
      accessScopeInWords({ contact: { ...contact, siteId: 's' }, accounts: [account('Acme')], scope: { kind: 'all' } }),
    ).toBe('All projects of your site at Acme');
  });

  it('counts the chosen sites and projects', () => {
    const selected = (siteIds: string[], projectIds: string[]) =>
      accessScopeInWords({ contact, accounts: [account('Acme')], scope: { kind: 'selected', siteIds, projectIds } });
    expect(selected(['a'], ['p'])).toBe('1 chosen site and 1 chosen project of Acme');
    expect(selected(['a', 'b'], [])).toBe('2 chosen sites of Acme');
    expect(selected([], ['p', 'q', 'r'])).toBe('3 chosen projects of Acme');
    expect(selected([], [])).toBe('No sites or projects have been chosen for you yet');
  });
});

/** A page as the gateway serves it: the data block in the head. */
function pageWith(block: string | null) {
  return {
    getElementById: (id: string) => (id === 'portal-branding' && block !== null ? { textContent: block } : null),
  } as unknown as Document;
}

describe('the page data the gateway writes', () => {
  it('reads branding and the account console, falling back to the defaults on anything odd', () => {
    const page = pageWith(
      JSON.stringify({
        productName: 'Acme Connect',
        primaryColor: '#aa3300',
        logoUrl: null,
        accountConsoleUrl: 'https://id.acme.test/realms/portal/account/',
      }),
    );
    expect(readBranding(page)).toEqual({ productName: 'Acme Connect', primaryColor: '#aa3300', logoUrl: null });
    expect(readAccountConsoleUrl(page)).toBe('https://id.acme.test/realms/portal/account');

    expect(readBranding(pageWith(null)).productName).toBe('Customer portal');
    expect(readBranding(pageWith('{not json')).primaryColor).toBe('#1f4e79');
    expect(readBranding(pageWith(JSON.stringify({ primaryColor: 'red; x: y' }))).primaryColor).toBe('#1f4e79');
    expect(readAccountConsoleUrl(pageWith(JSON.stringify({ accountConsoleUrl: 'javascript:alert(1)' })))).toBeNull();
    expect(readAccountConsoleUrl(pageWith(null))).toBeNull();
  });
});
