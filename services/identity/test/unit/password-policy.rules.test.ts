import { describe, expect, it } from 'vitest';
import {
  brokenPasswordRules,
  generatePassword,
  passwordPolicy,
  ruleOfKeycloakPolicyError,
} from '../../src/domain/password-policy.rules.ts';
import { readRealmFile } from '../../src/realms/realm-reconciler.ts';

describe('password policy', () => {
  it('10,000 generated passwords all satisfy the policy, and are all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const password = generatePassword();
      expect(brokenPasswordRules(password, 'contact@example.test')).toEqual([]);
      seen.add(password);
    }
    expect(seen.size).toBe(10_000);
  });

  it('names the rules a password breaks', () => {
    expect(brokenPasswordRules('password1')).toEqual(['length', 'upperCase', 'specialChars']);
    expect(brokenPasswordRules('Password12!')).toEqual([]);
    expect(brokenPasswordRules('Ab1!Ab1!Ab1!@x.test', 'ab1!ab1!ab1!@x.test')).toEqual(['notUsername']);
  });

  it('is the policy both realm files carry', () => {
    const vars = { KEYCLOAK_GATEWAY_CLIENT_SECRET: 's', KEYCLOAK_IDENTITY_CLIENT_SECRET: 's' };
    expect(readRealmFile('portal', vars)['passwordPolicy']).toBe(passwordPolicy);
    expect(readRealmFile('staff', vars)['passwordPolicy']).toBe(passwordPolicy);
  });

  it("maps Keycloak's policy errors to rules", () => {
    expect(ruleOfKeycloakPolicyError('invalidPasswordMinSpecialCharsMessage')).toBe('specialChars');
    expect(ruleOfKeycloakPolicyError('somethingElse')).toBeUndefined();
  });
});
