import { describe, expect, it } from 'vitest';
import { describeChange, missingByName, settingChanges, smtpServerOf } from '../../src/realms/realm-diff.rules.ts';

describe('realm reconciliation diff', () => {
  it('reports only the named keys that differ', () => {
    const changes = settingChanges(
      { bruteForceProtected: true, passwordPolicy: 'length(10)', failureFactor: 10 },
      { bruteForceProtected: false, passwordPolicy: 'length(10)', failureFactor: 10, somethingElse: 'kept' },
    );
    expect(changes).toEqual([{ key: 'bruteForceProtected', from: false, to: true, secret: false }]);
  });

  it('treats Keycloak string forms of numbers and booleans as equal, and compares maps by their named keys', () => {
    expect(
      settingChanges(
        { config: { 'access.token.claim': true, port: 25 } },
        { config: { 'access.token.claim': 'true', port: '25', extra: 'x' } },
      ),
    ).toEqual([]);
    expect(settingChanges({ redirectUris: ['a', 'b'] }, { redirectUris: ['b', 'a'] })).toEqual([]);
  });

  it('is empty when all is in place (reconciling twice changes nothing)', () => {
    const desired = { a: 1, b: { c: 'd' } };
    expect(settingChanges(desired, structuredClone(desired))).toEqual([]);
  });

  it('never shows a secret in its log line', () => {
    const [change] = settingChanges({ secret: 'new-secret' }, { secret: 'old' }, { secretKeys: ['secret'] });
    expect(change).toBeDefined();
    const line = describeChange('client x', change!);
    expect(line).not.toContain('new-secret');
    expect(line).not.toContain('old');
  });

  it('finds missing items by name', () => {
    expect(missingByName([{ name: 'a' }, { name: 'b' }], [{ name: 'a' }], 'name')).toEqual([{ name: 'b' }]);
  });

  it('turns an SMTP URL into the realm setting', () => {
    expect(smtpServerOf('smtps://u%40x:p%3Aw@mail.example:2465', 'no-reply@x', 'Portal')).toEqual({
      host: 'mail.example',
      port: '2465',
      from: 'no-reply@x',
      fromDisplayName: 'Portal',
      ssl: 'true',
      starttls: 'false',
      auth: 'true',
      user: 'u@x',
      password: 'p:w',
    });
    expect(smtpServerOf('smtp://127.0.0.1:25', 'a@b', 'P')).toMatchObject({ auth: 'false', ssl: 'false', port: '25' });
  });
});
