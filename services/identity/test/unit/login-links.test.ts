import { describe, expect, it } from 'vitest';
import { loginLinkAttributes } from '../../src/login-links.consumer.ts';

describe('the login page links', () => {
  it('point at the form pages below the portal URL while their option is on, and are empty while it is off', () => {
    expect(
      loginLinkAttributes({ requestLoginButton: true, selfRegistration: false }, 'https://portal.example.com/'),
    ).toEqual({
      portalRequestAccessUrl: 'https://portal.example.com/portal/request-access',
      portalRegisterUrl: '',
    });
    expect(loginLinkAttributes({ requestLoginButton: false, selfRegistration: true }, 'http://localhost:8080')).toEqual(
      {
        portalRequestAccessUrl: '',
        portalRegisterUrl: 'http://localhost:8080/portal/register',
      },
    );
  });
});
