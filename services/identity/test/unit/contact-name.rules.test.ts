import { describe, expect, it } from 'vitest';
import {
  contactNameFromFullName,
  contactNameFromRegistration,
  loginNameOf,
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

describe('names on the Keycloak login', () => {
  it("drops what Keycloak's person-name rule refuses and keeps the rest", () => {
    expect(loginNameOf({ firstName: 'Dorothy', lastName: unknownNamePart })).toEqual({
      firstName: 'Dorothy',
      lastName: 'not given',
    });
    expect(loginNameOf({ firstName: 'Ann-Marie', lastName: "O'Brien & Sons (Ltd.)" })).toEqual({
      firstName: 'Ann-Marie',
      lastName: "O'Brien Sons Ltd.",
    });
    expect(loginNameOf({ firstName: 'José', lastName: 'Ñúñez\u0007' })).toEqual({
      firstName: 'José',
      lastName: 'Ñúñez',
    });
  });

  it('never leaves a part empty', () => {
    expect(loginNameOf({ firstName: '<>', lastName: '()' })).toEqual({ firstName: '-', lastName: '-' });
  });
});
