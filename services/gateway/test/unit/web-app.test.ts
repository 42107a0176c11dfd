import { describe, expect, it } from 'vitest';
import { accountConsoleUrlOf, brandedPage, pageSecurityPolicyOf } from '../../src/http/web-app.ts';

const html =
  '<html><head><title>Customer portal</title><!--portal-branding--></head><body><div id="root"></div></body></html>';

describe('the page data written into each app page', () => {
  it('carries the branding and the account console as a JSON block that cannot end early', () => {
    const page = brandedPage(html, {
      productName: 'Acme </script><script>alert(1)</script>',
      primaryColor: '#aa3300',
      logoUrl: null,
      accountConsoleUrl: 'https://id.acme.test/realms/portal/account',
    });
    const block = /<script id="portal-branding" type="application\/json">(.*?)<\/script>/.exec(page)?.[1] ?? '';
    expect(block).not.toContain('<');
    expect(JSON.parse(block)).toEqual({
      productName: 'Acme </script><script>alert(1)</script>',
      primaryColor: '#aa3300',
      logoUrl: null,
      accountConsoleUrl: 'https://id.acme.test/realms/portal/account',
    });
    expect(page).toContain('<title>Acme &#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62;</title>');
  });

  it("points each app at its own realm's account console, and lets sign-in forms post to Keycloak", () => {
    expect(accountConsoleUrlOf('https://id.acme.test/', 'portal')).toBe('https://id.acme.test/realms/portal/account');
    expect(accountConsoleUrlOf('http://127.0.0.1:58080', 'staff')).toBe('http://127.0.0.1:58080/realms/staff/account');
    expect(pageSecurityPolicyOf('https://id.acme.test')).toContain("form-action 'self' https://id.acme.test");
  });

  it('lets pages connect to the object store for presigned transfers, and nowhere else', () => {
    expect(pageSecurityPolicyOf('https://id.acme.test', 'https://files.acme.test')).toContain(
      "connect-src 'self' https://files.acme.test;",
    );
    expect(pageSecurityPolicyOf('https://id.acme.test')).toContain("connect-src 'self';");
  });
});
