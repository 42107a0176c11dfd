import { describe, expect, it } from 'vitest';
import {
  contactNameFromFullName,
  contactNameFromRegistration,
  unknownNamePart,
} from '../../src/domain/contact-name.rules.ts';

describe('contact names from the public forms', () => {
  it('splits a full name at its last word; one word is a first name', () => {
    expect(contactNameFromFullName('  Ada King  Lovelace ')).toEqual({ firstName: 'Ada King', lastName: 'Lovelace' });
    expect(contactNameFromFullName('Plato')).toEqual({ firstName: 'Plato', lastName: unknownNamePart });
  });

  it('keeps each part within the directory limit', () => {
    const name = contactNameFromFullName(`${'a'.repeat(150)} ${'b'.repeat(150)}`);
    expect(name.firstName).toHaveLength(100);
    expect(name.lastName).toHaveLength(100);
  });

  it('takes a self-registration name as given, else the e-mail before the @', () => {
    expect(contactNameFromRegistration('dot.vaughan@x.test', {})).toEqual({
      firstName: 'dot.vaughan',
      lastName: unknownNamePart,
    });
    expect(contactNameFromRegistration('d@x.test', { firstName: 'Dorothy', lastName: 'Vaughan' })).toEqual({
      firstName: 'Dorothy',
      lastName: 'Vaughan',
    });
  });
});
