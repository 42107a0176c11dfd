import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'nats';
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { natsConnectionOptionsOf, REVOCATION_BUCKET } from '@portal/kit';
import { requireStackVar, stackEnv } from '@portal/testing';
import { eventually, openIdentityHarness, portalLogin, waitForMail, type IdentityHarness } from './identity-harness.ts';

let harness: IdentityHarness;
let keycloakUrl: string;
let admin: KcAdminClient;

beforeAll(async () => {
  harness = await openIdentityHarness();
  keycloakUrl = requireStackVar('KEYCLOAK_URL');
  admin = new KcAdminClient({ baseUrl: keycloakUrl, realmName: 'master' });
  await admin.auth({
    grantType: 'password',
    clientId: 'admin-cli',
    username: requireStackVar('KEYCLOAK_ADMIN_USERNAME'),
    password: requireStackVar('KEYCLOAK_ADMIN_PASSWORD'),
  });
  admin.setConfig({ realmName: 'portal' });
});
afterAll(async () => {
  await harness?.close();
});

async function account(options: { autoSendInvite?: boolean; requireMfa?: boolean } = {}) {
  const suffix = randomUUID().slice(0, 8);
  const accountClass = await harness.call('directory.createAccountClass', {
    name: `identity-it ${suffix}`,
    autoSendInvite: options.autoSendInvite ?? false,
    requireMfa: options.requireMfa ?? false,
  });
  const created = await harness.call('directory.createAccount', {
    number: `IT-${suffix}`,
    name: `Identity IT ${suffix}`,
  });
  await harness.call('directory.setAccountClass', { accountId: created.id, classId: accountClass.id });
  return created;
}

async function contact(accountId: string, email: string | null = `c-${randomUUID().slice(0, 8)}@identity-it.test`) {
  return harness.call('directory.createContact', { accountId, firstName: 'Ida', lastName: 'Tester', email });
}

async function auditActions(contactId: string): Promise<string[]> {
  const page = await harness.call('directory.listContactAudit', { contactId, limit: 100 });
  return page.items.map((entry) => entry.action);
}

const kcUser = async (contactId: string) =>
  (await admin.users.find({ q: `contactId:${contactId}`, briefRepresentation: false } as never))[0];

describe('access lifecycle against real Keycloak', () => {
  it('enable gives a generated password that logs in; revoke refuses it and lists the subject; re-enable restores it', async () => {
    const { id: accountId } = await account();
    const person = await contact(accountId);
    const enabled = await harness.call('identity.enableAccess', { contactId: person.id, temporary: false });
    expect(enabled.contact.access.status).toBe('enabled');
    expect(enabled.contact.access.identityUserId).toBeTruthy();
    const { password } = enabled.credentials;
    expect(await portalLogin(keycloakUrl, person.email as string, password)).toBe('signed-in');
    expect((await kcUser(person.id))?.attributes?.['accountId']).toEqual([accountId]);

    const revoked = await harness.call('identity.revokeAccess', { contactId: person.id });
    expect(revoked.access.status).toBe('disabled');
    expect(await portalLogin(keycloakUrl, person.email as string, password)).not.toBe('signed-in');
    const nats = await connect(natsConnectionOptionsOf(stackEnv()));
    try {
      const kv = await nats.jetstream().views.kv(REVOCATION_BUCKET);
      const entry = await kv.get(`portal.${enabled.contact.access.identityUserId}`);
      expect(entry?.value.length).toBeGreaterThan(0);
    } finally {
      await nats.close();
    }

    const reenabled = await harness.call('identity.reenableAccess', { contactId: person.id });
    expect(reenabled.access.status).toBe('enabled');
    expect(await portalLogin(keycloakUrl, person.email as string, password)).toBe('signed-in');

    const actions = await eventually(async () => {
      const list = await auditActions(person.id);
      return ['login-enabled', 'login-revoked', 'login-reenabled'].every((a) => list.includes(a)) ? list : undefined;
    }, 'identity events in the audit trail');
    expect(actions).toEqual(expect.arrayContaining(['access-enabled', 'access-disabled']));
  });

  it('setPassword refuses password1 naming the broken rule; reset makes the old password fail and the new one work', async () => {
    const { id: accountId } = await account();
    const person = await contact(accountId);
    const { credentials } = await harness.call('identity.enableAccess', { contactId: person.id, temporary: false });
    const refused = await harness.failure('identity.setPassword', {
      contactId: person.id,
      password: 'password1',
      temporary: false,
    });
    expect(refused.type).toBe('PASSWORD_POLICY_VIOLATION');
    expect(refused.message).toMatch(/special character/);

    const reset = await harness.call('identity.resetPassword', {
      contactId: person.id,
      delivery: 'generated',
      temporary: false,
    });
    const fresh = reset.credentials?.password as string;
    expect(fresh).not.toBe(credentials.password);
    expect(await portalLogin(keycloakUrl, person.email as string, credentials.password)).not.toBe('signed-in');
    expect(await portalLogin(keycloakUrl, person.email as string, fresh)).toBe('signed-in');

    await harness.call('identity.resetPassword', { contactId: person.id, delivery: 'email', temporary: false });
    const mail = await waitForMail(requireStackVar('MAIL_CATCHER_URL'), person.email as string);
    expect(`${mail.text}${mail.html ?? ''}`).toMatch(/login-actions\/action-token\?key=/);
    await eventually(
      async () => ((await auditActions(person.id)).includes('password-reset') ? true : undefined),
      'audit',
    );
  });

  it('answers 422, not 500, when Keycloak refuses an e-mail to a login disabled meanwhile (found by the fuzzer)', async () => {
    const { id: accountId } = await account();
    const person = await contact(accountId);
    await harness.call('identity.enableAccess', { contactId: person.id, temporary: false });
    // The race the fuzzer hit: a revoke disabled the login while this reset was on its way.
    const user = await kcUser(person.id);
    await admin.users.update({ id: user?.id as string }, { ...user, enabled: false } as never);
    const refused = await harness.failure('identity.resetPassword', { contactId: person.id, delivery: 'email' });
    expect(refused).toMatchObject({ code: 422, type: 'ACCESS_NOT_ALLOWED' });
    expect(refused.message).toMatch(/disabled/i);
  });

  it("makes its contacts' logins ask for TOTP setup when their account class starts requiring MFA, and stop when it stops", async () => {
    const created = await account();
    const person = await contact(created.id);
    await harness.call('identity.enableAccess', { contactId: person.id, temporary: false });
    expect((await kcUser(person.id))?.requiredActions ?? []).not.toContain('CONFIGURE_TOTP');
    const { classId } = await harness.call('directory.getAccount', { accountId: created.id });
    const requiredActionsWhen = async (wanted: boolean) => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const actions = (await kcUser(person.id))?.requiredActions ?? [];
        if (actions.includes('CONFIGURE_TOTP') === wanted) return actions;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`CONFIGURE_TOTP never became ${String(wanted)}`);
    };
    await harness.call('directory.updateAccountClass', { accountClassId: classId ?? '', requireMfa: true });
    expect(await requiredActionsWhen(true)).toContain('CONFIGURE_TOTP');
    await harness.call('directory.updateAccountClass', { accountClassId: classId ?? '', requireMfa: false });
    expect(await requiredActionsWhen(false)).not.toContain('CONFIGURE_TOTP');
  });

  it('reset MFA removes OTP credentials and asks for setup again when MFA is required', async () => {
    const { id: accountId } = await account({ requireMfa: true });
    const person = await contact(accountId);
    await harness.call('identity.enableAccess', { contactId: person.id, temporary: false });
    const user = await kcUser(person.id);
    expect(user?.requiredActions).toContain('CONFIGURE_TOTP');
    // An OTP credential as a finished TOTP setup leaves it (imported through the admin API).
    await admin.users.update({ id: user?.id as string }, {
      ...user,
      requiredActions: [],
      credentials: [
        {
          type: 'otp',
          userLabel: 'phone',
          secretData: JSON.stringify({ value: 'JBSWY3DPEHPK3PXP' }),
          credentialData: JSON.stringify({ subType: 'totp', digits: 6, period: 30, algorithm: 'HmacSHA1', counter: 0 }),
        },
      ],
    } as never);
    const before = await admin.users.getCredentials({ id: user?.id as string });
    expect(before.some((c) => c.type === 'otp')).toBe(true);
    await harness.call('identity.resetMfa', { contactId: person.id });
    const after = await admin.users.getCredentials({ id: user?.id as string });
    expect(after.some((c) => c.type === 'otp')).toBe(false);
    expect((await admin.users.findOne({ id: user?.id as string }))?.requiredActions).toContain('CONFIGURE_TOTP');
  });

  it('invite sends the e-mail, resend and cancel work, and an expired invitation returns the contact to none', async () => {
    const { id: accountId } = await account();
    const person = await contact(accountId);
    const invitation = await harness.call('identity.inviteContact', { contactId: person.id, lifespanHours: 1 });
    expect(invitation).toMatchObject({ contactId: person.id, status: 'pending', sends: 1 });
    const mail = await waitForMail(requireStackVar('MAIL_CATCHER_URL'), person.email as string);
    expect(`${mail.text}${mail.html ?? ''}`).toMatch(/action-token\?key=/);
    expect((await harness.call('directory.getContact', { contactId: person.id })).access.status).toBe('invited');

    const resent = await harness.call('identity.resendInvitation', { contactId: person.id, lifespanHours: 2 });
    expect(resent.sends).toBe(2);
    const listed = await harness.call('identity.listInvitations', { status: 'pending', accountId, limit: 10 });
    expect(listed.items.map((i) => i.contactId)).toEqual([person.id]);

    const cancelled = await harness.call('identity.cancelInvitation', { contactId: person.id });
    expect(cancelled.access.status).toBe('none');
    expect((await harness.failure('identity.resendInvitation', { contactId: person.id, lifespanHours: 1 })).type).toBe(
      'INVITATION_NOT_PENDING',
    );

    // Expiry: invite again, then move the stored expiry into the past; the sweeper (every second) does the rest.
    await harness.call('identity.inviteContact', { contactId: person.id, lifespanHours: 1 });
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: requireStackVar('IDENTITY_DATABASE_URL') });
    await client.connect();
    await client.query(
      "update identity.invitation set expires_at = now() - interval '1 second' where contact_id = $1 and status = 'pending'",
      [person.id],
    );
    await client.end();
    await eventually(
      async () =>
        (await harness.call('directory.getContact', { contactId: person.id })).access.status === 'none'
          ? true
          : undefined,
      'the expired invitation to return the contact to none',
    );
    expect((await kcUser(person.id))?.enabled).toBe(false);
    await eventually(async () => {
      const list = await auditActions(person.id);
      return ['invitation-sent', 'invitation-cancelled', 'invitation-expired'].every((a) => list.includes(a))
        ? true
        : undefined;
    }, 'invitation audit entries');
  });

  it('a contact without an e-mail is refused and gets no Keycloak user', async () => {
    const { id: accountId } = await account();
    const person = await contact(accountId, null);
    expect((await harness.failure('identity.enableAccess', { contactId: person.id, temporary: false })).type).toBe(
      'ACCESS_EMAIL_REQUIRED',
    );
    expect((await harness.failure('identity.inviteContact', { contactId: person.id, lifespanHours: 1 })).type).toBe(
      'ACCESS_EMAIL_REQUIRED',
    );
    expect(await kcUser(person.id)).toBeUndefined();
  });

  it('auto-invites on a class that says so (with an e-mail only), follows e-mail changes, and revokes on archive', async () => {
    const auto = await account({ autoSendInvite: true });
    const manual = await account();
    const invited = await contact(auto.id);
    const withoutEmail = await contact(auto.id, null);
    const classOff = await contact(manual.id);
    await eventually(
      async () =>
        (await harness.call('directory.getContact', { contactId: invited.id })).access.status === 'invited'
          ? true
          : undefined,
      'the auto-invite',
    );
    await waitForMail(requireStackVar('MAIL_CATCHER_URL'), invited.email as string);
    expect((await harness.call('directory.getContact', { contactId: withoutEmail.id })).access.status).toBe('none');
    expect((await harness.call('directory.getContact', { contactId: classOff.id })).access.status).toBe('none');

    const { credentials } = await harness.call('identity.enableAccess', { contactId: classOff.id, temporary: false });
    const newEmail = `moved-${randomUUID().slice(0, 8)}@identity-it.test`;
    await harness.call('directory.updateContact', { contactId: classOff.id, email: newEmail });
    await eventually(
      async () => ((await kcUser(classOff.id))?.username === newEmail ? true : undefined),
      'Keycloak username to follow the e-mail',
    );
    expect(await portalLogin(keycloakUrl, newEmail, credentials.password)).toBe('signed-in');

    // Archiving needs revoked access first; archiving then keeps the login shut (and cancels nothing left).
    await harness.call('identity.revokeAccess', { contactId: classOff.id });
    await harness
      .call('identity.reenableAccess', { contactId: classOff.id })
      .then(() => harness.call('identity.revokeAccess', { contactId: classOff.id }));
    await harness.call('directory.archiveContact', { contactId: classOff.id });
    expect(await portalLogin(keycloakUrl, newEmail, credentials.password)).not.toBe('signed-in');
  });
});
