/** A contact's name as the directory stores it: both parts required, at most 100 characters each. */
export interface ContactName {
  firstName: string;
  lastName: string;
}

const maxPart = 100;
/** What a part says when the person gave none: staff can correct it on the contact. */
export const unknownNamePart = '(not given)';

const clip = (part: string) => part.slice(0, maxPart).trim() || unknownNamePart;

/** "Ada King Lovelace" → first "Ada King", last "Lovelace"; a single word is a first name. */
export function contactNameFromFullName(fullName: string): ContactName {
  const words = fullName.trim().split(/\s+/).filter(Boolean);
  if (words.length < 2) return { firstName: clip(words[0] ?? ''), lastName: unknownNamePart };
  return { firstName: clip(words.slice(0, -1).join(' ')), lastName: clip(words.at(-1)!) };
}

/** The name a self-registering person gave, completed from the e-mail's local part. */
export function contactNameFromRegistration(email: string, given: Partial<ContactName>): ContactName {
  return {
    firstName: given.firstName ?? clip(email.split('@')[0] ?? ''),
    lastName: given.lastName ?? unknownNamePart,
  };
}

/** What Keycloak's `person-name-prohibited-characters` validator refuses in a first or last name. */
const prohibitedInKeycloakNames = /[<>&"\v$%!#?§;*~/\\|^=[\]{}()\p{Cc}]/gu;

/**
 * A contact's name as its Keycloak login may carry it: the directory's, less the characters
 * Keycloak refuses (the directory's "(not given)", "Smith & Sons"), so an unusual name never
 * blocks an invite. A part left empty becomes "-" (an empty one would have Keycloak ask for it
 * at first login). The directory's name stays the one staff see.
 */
export function loginNameOf(name: ContactName): ContactName {
  const part = (value: string) => value.replace(prohibitedInKeycloakNames, ' ').replace(/\s+/g, ' ').trim() || '-';
  return { firstName: part(name.firstName), lastName: part(name.lastName) };
}
