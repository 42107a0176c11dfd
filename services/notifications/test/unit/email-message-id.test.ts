import { describe, expect, it } from 'vitest';
import { messageIdOf } from '../../src/email/email-delivery.ts';

const from = '"Customer Portal" <no-reply@portal.example>';
const eventId = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('e-mail Message-IDs', () => {
  it('are the same for every attempt at one e-mail, so a resent copy is recognisably the same message', () => {
    const id = messageIdOf({ from }, eventId, 'submittal-sent', 'Faye@Customer.test');
    expect(id).toMatch(/^<[0-9a-f]{40}@portal\.example>$/);
    expect(messageIdOf({ from }, eventId, 'submittal-sent', 'faye@customer.test')).toBe(id);
  });

  it('differ by event, template and address', () => {
    const id = messageIdOf({ from }, eventId, 'submittal-sent', 'faye@customer.test');
    const others = [
      messageIdOf({ from }, '7c9e6679-7425-40de-944b-e07fc1f90ae7', 'submittal-sent', 'faye@customer.test'),
      messageIdOf({ from }, eventId, 'submittal-overdue', 'faye@customer.test'),
      messageIdOf({ from }, eventId, 'submittal-sent', 'sam@customer.test'),
    ];
    expect(new Set([id, ...others]).size).toBe(4);
  });

  it('take the sender domain from a bare address too', () => {
    expect(messageIdOf({ from: 'mail@portal.example' }, eventId, 't', 'a@b.test')).toMatch(/@portal\.example>$/);
  });
});
