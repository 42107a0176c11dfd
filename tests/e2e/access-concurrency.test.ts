import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type ApiClient } from '@portal/testing';
import { startServices, tokenFor, type SystemUnderTest } from './support/system-under-test.ts';

/**
 * Two staff clicks on the same contact at once (the API fuzzer found this: two concurrent invites
 * gave a 500 "User exists with same email" and two pending invitations). Access operations on one
 * contact now run one after the other: the first wins, the others see its result.
 */
describe('concurrent access operations on one contact', () => {
  let system: SystemUnderTest;
  let staff: ApiClient;
  const run = randomUUID().slice(0, 6);

  const newContact = async (suffix: string) => {
    const account = await staff.request<{ id: string }>('POST', '/admin/accounts', {
      body: { number: `RACE-${run}-${suffix}`, name: `Race ${run}` },
    });
    const contact = await staff.request<{ id: string }>('POST', `/admin/accounts/${account.body.id}/contacts`, {
      body: { firstName: 'Rita', lastName: 'Race', email: `rita.${run}.${suffix}@customer.test` },
    });
    return contact.body.id;
  };

  beforeAll(async () => {
    system = await startServices(['identity', 'directory', 'gateway']);
    const token = await tokenFor('staffAdmin');
    staff = apiClient(system.gatewayUrl, () => token);
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('sends one invitation for three concurrent invites; the others are refused as already invited', async () => {
    const contactId = await newContact('invite');
    const path = `/admin/contacts/${contactId}/access/invitation`;
    const answers = await Promise.all([1, 2, 3].map(() => staff.request<{ error?: { code: string } }>('POST', path)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 422, 422]);
    for (const refused of answers.filter((answer) => answer.status === 422)) {
      expect(refused.body.error?.code).toBe('ACCESS_NOT_ALLOWED');
    }
    const pending = await staff.request<{ items: { contactId: string }[] }>('GET', '/admin/invitations?limit=100');
    expect(pending.body.items.filter((invitation) => invitation.contactId === contactId)).toHaveLength(1);
  });

  it('enables access once for concurrent enables, with one password shown', async () => {
    const contactId = await newContact('enable');
    const path = `/admin/contacts/${contactId}/access/enable`;
    const answers = await Promise.all(
      [1, 2].map(() => staff.request<{ credentials?: { password: string } }>('POST', path, { body: {} })),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses[1]).toBe(422);
    expect(statuses[0]).toBeLessThan(300);
    expect(answers.filter((answer) => answer.body.credentials?.password)).toHaveLength(1);
  });

  it('never answers 5xx', () => {
    expect(staff.answered.filter((answer) => answer.status >= 500)).toEqual([]);
  });
});
