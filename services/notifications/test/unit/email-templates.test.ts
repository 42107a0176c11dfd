import { describe, expect, it } from 'vitest';
import { loadEmailTemplates } from '../../src/email/email-templates.ts';

describe('e-mail templates', () => {
  const render = loadEmailTemplates();

  it('escapes what it inserts into HTML, keeps plain text as typed, and keeps the subject on one line', () => {
    const email = render('access-request-rejected', {
      name: 'Eve <script>alert(1)</script>',
      company: 'A & B',
      productName: 'Portal\r\nBcc: x@evil.test',
    });
    expect(email.html).toContain('Eve &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).not.toContain('<script>');
    expect(email.text).toContain('Dear Eve <script>alert(1)</script>,');
    expect(email.text).toContain('on behalf of A & B.');
    expect(email.subject).toBe('Your request for access to Portal Bcc: x@evil.test');
  });

  it('refuses to render with a value missing rather than sending a gap', () => {
    expect(() => render('access-request-rejected', { name: 'Eve', productName: 'Portal' })).toThrow(/company/);
  });
});
