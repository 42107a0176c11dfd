import { randomInt } from 'node:crypto';

/**
 * The realms' password policy, as Keycloak spells it (the realm files carry the same string) and
 * as a checker of our own: generated passwords are proven against it, and a refused password names
 * the rule it broke.
 */
export const passwordPolicy =
  'length(10) and upperCase(1) and digits(1) and specialChars(1) and notUsername and passwordHistory(3)';

export type PasswordRule = 'length' | 'upperCase' | 'lowerCase' | 'digits' | 'specialChars' | 'notUsername';

const ruleMessages: Record<PasswordRule, string> = {
  length: 'at least 10 characters',
  upperCase: 'at least 1 upper-case letter',
  lowerCase: 'at least 1 lower-case letter',
  digits: 'at least 1 digit',
  specialChars: 'at least 1 special character',
  notUsername: 'must not be the username',
};

export function describePasswordRule(rule: PasswordRule): string {
  return ruleMessages[rule];
}

// Keycloak's specialChars counts what is neither a letter nor a digit.
const isSpecial = (char: string) => !/[\p{L}\p{N}]/u.test(char);

/** The rules `password` breaks (empty when it satisfies the policy); passwordHistory needs the store and is Keycloak's. */
export function brokenPasswordRules(password: string, username?: string): PasswordRule[] {
  const chars = [...password];
  const broken: PasswordRule[] = [];
  if (chars.length < 10) broken.push('length');
  if (!chars.some((c) => /\p{Lu}/u.test(c))) broken.push('upperCase');
  if (!chars.some((c) => /\p{N}/u.test(c))) broken.push('digits');
  if (!chars.some(isSpecial)) broken.push('specialChars');
  if (username !== undefined && password.toLowerCase() === username.toLowerCase()) broken.push('notUsername');
  return broken;
}

// No look-alikes (0/O, 1/l/I) and only specials that survive copy, paste, e-mail and shells.
const upper = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const lower = 'abcdefghijkmnopqrstuvwxyz';
const digits = '23456789';
const special = '!#%+-=?@_';
const all = upper + lower + digits + special;

const pick = (alphabet: string): string => alphabet[randomInt(alphabet.length)] as string;

/**
 * A fresh password from the CSPRNG that always satisfies the policy: one character of each
 * required class at a random position, the rest from all classes (20 characters, ~120 bits).
 */
export function generatePassword(length = 20): string {
  if (length < 10) throw new Error('generated passwords are at least 10 characters');
  const chars = [pick(upper), pick(lower), pick(digits), pick(special)];
  while (chars.length < length) chars.push(pick(all));
  // Fisher–Yates with the CSPRNG, so the required characters sit anywhere.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}

/** Keycloak's policy error (`invalidPassword…Message`) → the rule it names, when it is one we know. */
export function ruleOfKeycloakPolicyError(error: string): PasswordRule | 'passwordHistory' | undefined {
  const known: Record<string, PasswordRule | 'passwordHistory'> = {
    invalidPasswordMinLengthMessage: 'length',
    invalidPasswordMinUpperCaseCharsMessage: 'upperCase',
    invalidPasswordMinLowerCaseCharsMessage: 'lowerCase',
    invalidPasswordMinDigitsMessage: 'digits',
    invalidPasswordMinSpecialCharsMessage: 'specialChars',
    invalidPasswordNotUsernameMessage: 'notUsername',
    invalidPasswordHistoryMessage: 'passwordHistory',
  };
  return known[error];
}
