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
