import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account, Contact } from '@portal/contracts';
import { openDirectoryHarness, outboxEvents, staffActor, type DirectoryHarness } from './directory-harness.ts';

let dir: DirectoryHarness;
let account: Account;
let sequence = 0;

async function newContact(
  fields: { email?: string | null; siteId?: string; accountId?: string } = {},
): Promise<Contact> {
  sequence += 1;
  return dir.call('directory.createContact', {
    accountId: fields.accountId ?? account.id,
    firstName: `First${sequence}`,
    lastName: `Last${sequence}`,
    email: fields.email === undefined ? `person${sequence}@example.com` : fields.email,
    ...(fields.siteId ? { siteId: fields.siteId } : {}),
  });
}

beforeAll(async () => {
  dir = await openDirectoryHarness();
  account = await dir.call('directory.createAccount', { number: 'PA-1', name: 'Portal access' });
});
afterAll(async () => {
  await dir?.close();
});

describe('access scope', () => {
  it('sets a selected scope and back to all, each with an audit entry and an event', async () => {
    const site = await dir.call('directory.createSite', { accountId: account.id, code: 'SC-S', name: 'Scoped site' });
    const project = await dir.call('directory.createProject', { accountId: account.id, code: 'SC-P', name: 'Scoped' });
    const contact = await newContact();
    expect(contact.access.scope).toEqual({ kind: 'all' });

    const selected = await dir.call('directory.setAccessScope', {
      contactId: contact.id,
      scope: { kind: 'selected', siteIds: [site.id, site.id], projectIds: [project.id] },
    });
    expect(selected.access.scope).toEqual({ kind: 'selected', siteIds: [site.id], projectIds: [project.id] });
    expect(await dir.count('select count(*) from access_scope_site where contact_id = ?', [contact.id])).toBe(1);

    const all = await dir.call('directory.setAccessScope', { contactId: contact.id, scope: { kind: 'all' } });
    expect(all.access.scope).toEqual({ kind: 'all' });
    expect(await dir.count('select count(*) from access_scope_project where contact_id = ?', [contact.id])).toBe(0);

    const events = (await outboxEvents(dir, 'directory.access-scope.changed')).filter(
      (event) => event.data.contactId === contact.id,
    );
    expect(events.map((event) => (event.data.scope as { kind: string }).kind).sort()).toEqual(['all', 'selected']);
    const trail = await dir.call('directory.listContactAudit', { contactId: contact.id });
    const scopeEntries = trail.items.filter((entry) => entry.entity === 'access-scope');
    expect(scopeEntries).toHaveLength(2);
    expect(scopeEntries[0]).toMatchObject({
      actor: staffActor,
      action: 'scope-changed',
      changes: { scope: { from: { kind: 'selected' }, to: { kind: 'all' } } },
    });

    // Setting the same scope again changes nothing and leaves no trace.
    await dir.call('directory.setAccessScope', { contactId: contact.id, scope: { kind: 'all' } });
    expect((await dir.call('directory.listContactAudit', { contactId: contact.id })).items).toHaveLength(
      trail.items.length,
    );
  });

  it('refuses sites and projects outside the contact’s reach (422), naming each', async () => {
    const other = await dir.call('directory.createAccount', { number: 'PA-OTHER', name: 'Other' });
    const foreignSite = await dir.call('directory.createSite', { accountId: other.id, code: 'F', name: 'Foreign' });
    const ownSite = await dir.call('directory.createSite', { accountId: account.id, code: 'OWN', name: 'Own' });
    const otherOwnSite = await dir.call('directory.createSite', { accountId: account.id, code: 'OWN2', name: 'Own 2' });
    const contact = await newContact();
    const refused = await dir.failure('directory.setAccessScope', {
      contactId: contact.id,
      scope: { kind: 'selected', siteIds: [ownSite.id, foreignSite.id] },
    });
    expect([refused.code, refused.type]).toEqual([422, 'SCOPE_OUTSIDE_ACCOUNT']);
    expect(refused.details).toEqual([{ path: 'scope.siteIds', message: `not selectable: ${foreignSite.id}` }]);
    expect(await dir.count('select count(*) from access_scope_site where contact_id = ?', [contact.id])).toBe(0);

    // A site-level contact can only be given its own site.
    const siteLevel = await newContact({ siteId: ownSite.id });
    const outsideSite = await dir.failure('directory.setAccessScope', {
      contactId: siteLevel.id,
      scope: { kind: 'selected', siteIds: [otherOwnSite.id] },
    });
    expect(outsideSite.type).toBe('SCOPE_OUTSIDE_ACCOUNT');
  });

  it('lets a consolidated account’s contact select its members’ sites', async () => {
    const group = await dir.call('directory.createAccount', { number: 'PA-GRP', name: 'Group', kind: 'consolidated' });
    const member = await dir.call('directory.createAccount', {
      number: 'PA-MEM',
      name: 'Member',
      consolidatedAccountId: group.id,
    });
    const memberSite = await dir.call('directory.createSite', { accountId: member.id, code: 'M', name: 'Member site' });
    const contact = await newContact({ accountId: group.id });
    const scoped = await dir.call('directory.setAccessScope', {
      contactId: contact.id,
      scope: { kind: 'selected', siteIds: [memberSite.id] },
    });
    expect(scoped.access.scope).toEqual({ kind: 'selected', siteIds: [memberSite.id], projectIds: [] });
  });
});

describe('access lifecycle', () => {
  it('moves none → invited → enabled → disabled → enabled, stamping times, auditing and publishing each move', async () => {
    const contact = await newContact();
    const expires = new Date(Date.now() + 86_400_000).toISOString();
    const invited = await dir.call('directory.applyAccessTransition', {
      contactId: contact.id,
      to: 'invited',
      identityUserId: 'kc-user-1',
      inviteExpiresAt: expires,
    });
    expect(invited.access).toMatchObject({ status: 'invited', identityUserId: 'kc-user-1', inviteExpiresAt: expires });
    expect(invited.access.invitedAt).not.toBeNull();
    const enabled = await dir.call('directory.applyAccessTransition', { contactId: contact.id, to: 'enabled' });
    expect(enabled.access).toMatchObject({ status: 'enabled', identityUserId: 'kc-user-1' });
    expect(enabled.access.enabledAt).not.toBeNull();
    const disabled = await dir.call('directory.applyAccessTransition', { contactId: contact.id, to: 'disabled' });
    expect(disabled.access.disabledAt).not.toBeNull();
    await dir.call('directory.applyAccessTransition', { contactId: contact.id, to: 'enabled' });

    const events = (await outboxEvents(dir, 'directory.access.changed')).filter(
      (event) => event.data.contactId === contact.id,
    );
    expect(events.map((event) => `${event.data.from}>${event.data.to}`).sort()).toEqual(
      ['none>invited', 'invited>enabled', 'enabled>disabled', 'disabled>enabled'].sort(),
    );
    const trail = await dir.call('directory.listContactAudit', { contactId: contact.id });
    const moves = trail.items.filter((entry) => entry.entity === 'access');
    expect(moves.map((entry) => entry.changes.status)).toEqual([
      { from: 'disabled', to: 'enabled' },
      { from: 'enabled', to: 'disabled' },
      { from: 'invited', to: 'enabled' },
      { from: 'none', to: 'invited' },
    ]);
    for (const entry of moves) {
      expect(entry.actor).toEqual(staffActor);
      expect(Number.isNaN(Date.parse(entry.occurredAt))).toBe(false);
    }
  });

  it('refuses moves the lifecycle does not allow (422) and writes nothing', async () => {
    const contact = await newContact();
    const refused = await dir.failure('directory.applyAccessTransition', { contactId: contact.id, to: 'disabled' });
    expect([refused.code, refused.type]).toEqual([422, 'ACCESS_TRANSITION_NOT_ALLOWED']);
    expect(
      await dir.count("select count(*) from audit_entry where contact_id = ? and entity = 'access'", [contact.id]),
    ).toBe(0);
    expect((await dir.call('directory.getContact', { contactId: contact.id })).access.status).toBe('none');
  });

  it('needs an e-mail for access, and gives one e-mail one login across the installation (409)', async () => {
    const noMail = await newContact({ email: null });
    const refused = await dir.failure('directory.applyAccessTransition', { contactId: noMail.id, to: 'invited' });
    expect([refused.code, refused.type]).toEqual([422, 'CONTACT_EMAIL_REQUIRED']);

    const other = await dir.call('directory.createAccount', { number: 'PA-LOGIN', name: 'Login elsewhere' });
    const first = await newContact({ email: 'shared@example.com' });
    const second = await newContact({ email: 'shared@example.com', accountId: other.id });
    await dir.call('directory.applyAccessTransition', { contactId: first.id, to: 'enabled' });
    const taken = await dir.failure('directory.applyAccessTransition', { contactId: second.id, to: 'invited' });
    expect([taken.code, taken.type]).toEqual([409, 'PORTAL_LOGIN_TAKEN']);
    expect((await dir.call('directory.getContact', { contactId: second.id })).access.status).toBe('none');

    const clearMail = await dir.failure('directory.updateContact', { contactId: first.id, email: null });
    expect(clearMail.type).toBe('CONTACT_EMAIL_REQUIRED');
  });

  it('refuses archiving a contact whose access is enabled (422) until it is revoked', async () => {
    const contact = await newContact();
    await dir.call('directory.applyAccessTransition', { contactId: contact.id, to: 'enabled' });
    const refused = await dir.failure('directory.archiveContact', { contactId: contact.id });
    expect([refused.code, refused.type]).toEqual([422, 'CONTACT_HAS_ACTIVE_ACCESS']);
    await dir.call('directory.applyAccessTransition', { contactId: contact.id, to: 'disabled' });
    expect((await dir.call('directory.archiveContact', { contactId: contact.id })).archivedAt).not.toBeNull();
  });

  it('requires MFA when the contact or its account class says so', async () => {
    const klass = await dir.call('directory.createAccountClass', { name: 'MFA class', requireMfa: true });
    const mfaAccount = await dir.call('directory.createAccount', { number: 'PA-MFA', name: 'MFA', classId: klass.id });
    const byClass = await newContact({ accountId: mfaAccount.id });
    expect(byClass.access.mfaRequired).toBe(true);

    const contact = await newContact();
    expect(contact.access.mfaRequired).toBe(false);
    const required = await dir.call('directory.requireMfa', { contactId: contact.id });
    expect(required.access.mfaRequired).toBe(true);
    const [event] = (await outboxEvents(dir, 'directory.access.changed')).filter(
      (entry) => entry.data.contactId === contact.id,
    );
    expect(event?.data).toMatchObject({ from: 'none', to: 'none', mfaRequired: true });
    const trail = await dir.call('directory.listContactAudit', { contactId: contact.id });
    expect(trail.items[0]).toMatchObject({ entity: 'access', changes: { mfaRequired: { from: false, to: true } } });
  });
});

describe('portal tab', () => {
  it('lists an account’s contacts with name, e-mail and status; searches by name; filters by status', async () => {
    const tabAccount = await dir.call('directory.createAccount', { number: 'PA-TAB', name: 'Tab' });
    const ada = await dir.call('directory.createContact', {
      accountId: tabAccount.id,
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
    });
    await dir.call('directory.createContact', { accountId: tabAccount.id, firstName: 'Alan', lastName: 'Turing' });
    await dir.call('directory.applyAccessTransition', { contactId: ada.id, to: 'enabled' });

    const all = await dir.call('directory.listPortalAccess', { accountId: tabAccount.id });
    expect(all.items).toEqual([
      {
        contactId: ada.id,
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        siteId: null,
        status: 'enabled',
        scope: 'all',
      },
      expect.objectContaining({ name: 'Alan Turing', status: 'none', email: null }),
    ]);
    const enabled = await dir.call('directory.listPortalAccess', { accountId: tabAccount.id, status: 'enabled' });
    expect(enabled.items.map((row) => row.name)).toEqual(['Ada Lovelace']);
    const searched = await dir.call('directory.listPortalAccess', { accountId: tabAccount.id, search: 'turing' });
    expect(searched.items.map((row) => row.name)).toEqual(['Alan Turing']);
    const paged = await dir.call('directory.listPortalAccess', { accountId: tabAccount.id, limit: 1 });
    const next = await dir.call('directory.listPortalAccess', {
      accountId: tabAccount.id,
      limit: 1,
      cursor: paged.nextCursor ?? '',
    });
    expect([...paged.items, ...next.items].map((row) => row.name)).toEqual(['Ada Lovelace', 'Alan Turing']);
  });
});

describe('hardening: links, expiry and moves', () => {
  it('links one identity user to one contact only (409 IDENTITY_USER_TAKEN), writing nothing', async () => {
    const first = await newContact();
    const second = await newContact();
    await dir.call('directory.applyAccessTransition', { contactId: first.id, to: 'enabled', identityUserId: 'kc-one' });
    const audit = await dir.count('select count(*) from audit_entry where contact_id = ?', [second.id]);
    const taken = await dir.failure('directory.applyAccessTransition', {
      contactId: second.id,
      to: 'enabled',
      identityUserId: 'kc-one',
    });
    expect([taken.code, taken.type]).toEqual([409, 'IDENTITY_USER_TAKEN']);
    expect((await dir.call('directory.getContact', { contactId: second.id })).access).toMatchObject({
      status: 'none',
      identityUserId: null,
    });
    expect(await dir.count('select count(*) from audit_entry where contact_id = ?', [second.id])).toBe(audit);
  });

  it('refuses invited → enabled after the invite expired (422 INVITE_EXPIRED), not before', async () => {
    const late = await newContact();
    const past = new Date(Date.now() - 60_000).toISOString();
    await dir.call('directory.applyAccessTransition', { contactId: late.id, to: 'invited', inviteExpiresAt: past });
    const expired = await dir.failure('directory.applyAccessTransition', { contactId: late.id, to: 'enabled' });
    expect([expired.code, expired.type]).toEqual([422, 'INVITE_EXPIRED']);
    expect((await dir.call('directory.getContact', { contactId: late.id })).access.status).toBe('invited');
    // A new invite with a new expiry opens the way again.
    const future = new Date(Date.now() + 3_600_000).toISOString();
    await dir.call('directory.applyAccessTransition', { contactId: late.id, to: 'invited', inviteExpiresAt: future });
    expect(
      (await dir.call('directory.applyAccessTransition', { contactId: late.id, to: 'enabled' })).access.status,
    ).toBe('enabled');
  });

  it('records moving a contact with live access to another site as a scope change (PATCH and CSV import)', async () => {
    const north = await dir.call('directory.createSite', { accountId: account.id, code: 'MV-N', name: 'North' });
    const south = await dir.call('directory.createSite', { accountId: account.id, code: 'MV-S', name: 'South' });
    const enabled = await newContact({ siteId: north.id });
    await dir.call('directory.applyAccessTransition', { contactId: enabled.id, to: 'enabled' });
    const bystander = await newContact({ siteId: north.id });

    await dir.call('directory.updateContact', { contactId: enabled.id, siteId: south.id });
    await dir.call('directory.updateContact', { contactId: bystander.id, siteId: south.id });
    const scopeEntries = async (contactId: string) =>
      (await dir.call('directory.listContactAudit', { contactId })).items.filter(
        (entry) => entry.entity === 'access-scope',
      );
    expect(await scopeEntries(enabled.id)).toMatchObject([
      { action: 'scope-changed', actor: staffActor, changes: { siteId: { from: north.id, to: south.id } } },
    ]);
    expect(await scopeEntries(bystander.id)).toEqual([]);
    const scopeEvents = async (contactId: string) =>
      (await outboxEvents(dir, 'directory.access-scope.changed')).filter((event) => event.data.contactId === contactId);
    expect(await scopeEvents(enabled.id)).toMatchObject([{ data: { scope: { kind: 'all' } } }]);

    // The same move by CSV: back to North, and to account level.
    const invited = await newContact({ siteId: south.id });
    await dir.call('directory.applyAccessTransition', { contactId: invited.id, to: 'invited' });
    const csv = [
      'account_number,site_code,first_name,last_name,email,phone,title',
      `${account.number},MV-N,${enabled.firstName},${enabled.lastName},${enabled.email},,`,
      `${account.number},,${invited.firstName},${invited.lastName},${invited.email},,`,
      '',
    ].join('\n');
    let job = await dir.call('directory.startContactImport', csv as never);
    while (job.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 25));
      job = await dir.call('directory.getContactImport', { importId: job.id });
    }
    expect(job).toMatchObject({ status: 'completed', updated: 2, rejected: 0 });
    expect((await scopeEntries(enabled.id)).map((entry) => entry.changes.siteId)).toEqual([
      { from: south.id, to: north.id },
      { from: north.id, to: south.id },
    ]);
    expect((await scopeEntries(invited.id)).map((entry) => entry.changes.siteId)).toEqual([
      { from: south.id, to: null },
    ]);
    expect(await scopeEvents(invited.id)).toHaveLength(1);
  });
});
