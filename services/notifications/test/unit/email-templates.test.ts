import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emailTemplateNames, loadEmailTemplates } from '../../src/email/email-templates.ts';

const overrideFolder = (files: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'mail-templates-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};

describe('e-mail templates', () => {
  const { render, sampleOf, overridden } = loadEmailTemplates();

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

  it('puts every e-mail in the layout: the product name in the header, the unsubscribe link in the footer', () => {
    for (const name of emailTemplateNames) {
      const email = render(name, { ...sampleOf(name), productName: 'Acme Portal' });
      expect(email.html, name).toMatch(/^<!doctype html>/);
      expect(email.html, name).toContain('Acme Portal</p>');
      expect(email.text.split('\n')[0], name).toBe('Acme Portal');
      expect(email.html, name).toContain('href="https://portal.example.com/portal/unsubscribe/sample"');
      expect(email.text, name).toContain(
        'Unsubscribe from these e-mails: https://portal.example.com/portal/unsubscribe/sample',
      );
    }
    expect(overridden.size).toBe(0);
  });

  it('leaves the unsubscribe line out of an e-mail no preference governs', () => {
    const email = render('access-request-rejected', { name: 'Eve', company: 'A', productName: 'Portal' });
    expect(email.text).not.toContain('Unsubscribe');
    expect(email.text).toContain('This message was sent by Portal.');
  });

  it('takes a file of the override folder over the built-in one of the same name, and only that one', () => {
    const dir = overrideFolder({
      'submittal-sent.subject.hbs': 'Custom: {{number}}',
      'header.html.hbs': '<h1 class="brand">{{productName}} by Acme</h1>',
      'unrelated.txt': 'ignored',
    });
    const templates = loadEmailTemplates(dir);
    const sent = templates.render('submittal-sent', templates.sampleOf('submittal-sent'));
    expect(sent.subject).toBe('Custom: TR-0042');
    expect(sent.html).toContain('<h1 class="brand">Customer Portal by Acme</h1>');
    expect(sent.text).toContain('A submittal was sent to you for approval'); // built-in text part kept
    const returned = templates.render('submittal-returned', templates.sampleOf('submittal-returned'));
    expect(returned.subject).toBe('Submittal TR-0042 rev 1 returned: Approved as noted');
    // The header is shared, so every template counts as overridden.
    expect([...templates.overridden].sort()).toEqual([...emailTemplateNames].sort());
  });

  it('stops the start, naming the file, when an override does not parse', () => {
    const dir = overrideFolder({ 'submittal-sent.html.hbs': '<p>{{#if number}}open block</p>' });
    expect(() => loadEmailTemplates(dir)).toThrow(/submittal-sent\.html\.hbs is broken/);
  });

  it('stops the start when an override names a value its e-mail never has', () => {
    const dir = overrideFolder({ 'digest.text.hbs': '{{count}} updates for {{accountManager}}' });
    expect(() => loadEmailTemplates(dir)).toThrow(/digest does not render its sample: .*accountManager/);
  });
});
