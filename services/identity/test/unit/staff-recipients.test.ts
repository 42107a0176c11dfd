import { describe, expect, it } from 'vitest';
import moleculer from 'moleculer';
import { call } from '@portal/kit';
import type { StaffUser } from '../../src/adapters/staff-users.adapter.ts';
import { staffRecipientsAction, staffRecipientsOf } from '../../src/staff/staff-recipients.ts';

const users: StaffUser[] = [
  { userId: 'u-viewer', email: 'vera@example.com', name: 'Vera', roles: ['viewer', 'default-roles-staff'] },
  { userId: 'u-manager', email: 'mia@example.com', name: 'Mia', roles: ['portal-manager'] },
  { userId: 'u-admin', email: 'adam@example.com', name: 'Adam', roles: ['portal-admin', 'viewer'] },
  { userId: 'u-none', email: null, name: null, roles: [] },
];

describe('staff recipients', () => {
  it('keeps the users holding any of the roles, by e-mail', () => {
    expect(staffRecipientsOf(users, ['portal-admin', 'portal-manager']).map((user) => user.userId)).toEqual([
      'u-admin',
      'u-manager',
    ]);
    expect(staffRecipientsOf(users, ['viewer']).map((user) => user.userId)).toEqual(['u-admin', 'u-viewer']);
  });

  it('reads Keycloak once per period, whoever asks meanwhile', async () => {
    let reads = 0;
    let time = 0;
    const broker = new moleculer.ServiceBroker({ logger: false });
    broker.createService({
      name: 'identity',
      actions: staffRecipientsAction(
        {
          async listEnabled() {
            reads += 1;
            return users;
          },
        },
        60_000,
        () => time,
      ),
    });
    await broker.start();
    try {
      const answers = await Promise.all([1, 2, 3].map(() => call(broker, 'identity.listStaffRecipients', {})));
      expect(answers[0]?.map((user) => user.userId)).toEqual(['u-admin', 'u-manager']);
      expect(reads).toBe(1);
      time = 59_000;
      await call(broker, 'identity.listStaffRecipients', {});
      expect(reads).toBe(1);
      time = 61_000;
      await call(broker, 'identity.listStaffRecipients', {});
      expect(reads).toBe(2);
    } finally {
      await broker.stop();
    }
  });
});
