import { describe, expect, it } from 'vitest';
import { changedMessages, realmBrandingOf } from '../../src/realms/realm-branding.rules.ts';

describe('the product name in the realms', () => {
  it('is the display name of both realms (staff marked), escaped for the header, and in the e-mail subjects', () => {
    expect(realmBrandingOf('portal', 'Acme <Connect> & "Co"')).toEqual({
      displayName: 'Acme <Connect> & "Co"',
      displayNameHtml: 'Acme &#60;Connect&#62; &#38; &#34;Co&#34;',
      messages: {
        executeActionsSubject: 'Your Acme <Connect> & "Co" login',
        passwordResetSubject: 'Reset your Acme <Connect> & "Co" password',
      },
    });
    expect(realmBrandingOf('staff', 'Acme Connect').displayName).toBe('Acme Connect — staff');
    expect(realmBrandingOf('staff', 'Acme Connect').displayNameHtml).toBe('Acme Connect');
  });

  it('rewrites only the overrides that differ, leaving an operator’s other overrides alone', () => {
    const wanted = realmBrandingOf('portal', 'Acme Connect').messages;
    expect(changedMessages(wanted, {})).toEqual(['executeActionsSubject', 'passwordResetSubject']);
    expect(changedMessages(wanted, { ...wanted, doLogIn: 'Enter' })).toEqual([]);
    expect(changedMessages(wanted, { ...wanted, passwordResetSubject: 'Reset your Customer portal password' })).toEqual(
      ['passwordResetSubject'],
    );
  });
});
