import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDirectoryHarness, outboxEvents, staffActor, type DirectoryHarness } from './directory-harness.ts';

let dir: DirectoryHarness;

beforeAll(async () => {
  dir = await openDirectoryHarness();
});
afterAll(async () => {
  await dir?.close();
});

describe('account classes', () => {
  it('creates, reads, updates and deletes a class, with audit and events', async () => {
    const created = await dir.call('directory.createAccountClass', { name: 'Key accounts', requireMfa: true });
    expect(created).toMatchObject({ name: 'Key accounts', requireMfa: true, autoSendInvite: false });
    expect(await dir.call('directory.getAccountClass', { accountClassId: created.id })).toEqual(created);

    const updated = await dir.call('directory.updateAccountClass', {
      accountClassId: created.id,
      autoSendInvite: true,
    });
    expect(updated).toMatchObject({ autoSendInvite: true, requireMfa: true, name: 'Key accounts' });
    const [event] = await outboxEvents(dir, 'directory.account-class.updated');
    expect(event?.data).toEqual({ accountClassId: created.id, changed: ['autoSendInvite'] });

    expect(await dir.call('directory.deleteAccountClass', { accountClassId: created.id })).toEqual({ deleted: true });
    expect((await dir.failure('directory.getAccountClass', { accountClassId: created.id })).type).toBe(
      'ACCOUNT_CLASS_NOT_FOUND',
    );
    const audit = await dir.rows<{ action: string }>(
      "select action from audit_entry where entity = 'account-class' and entity_id = ? order by id",
      [created.id],
    );
    expect(audit.map((row) => row.action)).toEqual(['created', 'updated', 'deleted']);
  });

  it('refuses a duplicate name (409) and deleting a class in use (409), writing nothing', async () => {
    const inUse = await dir.call('directory.createAccountClass', { name: 'Distributors' });
    const duplicate = await dir.failure('directory.createAccountClass', { name: 'DISTRIBUTORS' });
    expect([duplicate.code, duplicate.type]).toEqual([409, 'ACCOUNT_CLASS_NAME_TAKEN']);
    await dir.call('directory.createAccount', { number: 'CLS-1', name: 'Uses a class', classId: inUse.id });
    const auditBefore = await dir.count('select count(*) from audit_entry');
    const outboxBefore = await dir.count('select count(*) from outbox');
    const refused = await dir.failure('directory.deleteAccountClass', { accountClassId: inUse.id });
    expect([refused.code, refused.type]).toEqual([409, 'ACCOUNT_CLASS_IN_USE']);
    expect(await dir.count('select count(*) from audit_entry')).toBe(auditBefore);
    expect(await dir.count('select count(*) from outbox')).toBe(outboxBefore);
  });
});

describe('accounts', () => {
  it('creates an account with an audit entry (actor, address, request) and an event in one go', async () => {
    const account = await dir.call('directory.createAccount', { number: 'ACC-100', name: 'Acme Construction' });
    expect(account).toMatchObject({ number: 'ACC-100', kind: 'customer', classId: null, archivedAt: null });
    const [entry] = await dir.rows<{ actor: unknown; source_ip: string; request_id: string; changes: unknown }>(
      "select actor, source_ip, request_id, changes from audit_entry where entity = 'account' and entity_id = ?",
      [account.id],
    );
    expect(entry).toMatchObject({ actor: staffActor, source_ip: '203.0.113.7', request_id: 'req-test-1' });
    expect(entry?.changes).toMatchObject({ number: { from: null, to: 'ACC-100' } });
    const events = (await outboxEvents(dir, 'directory.account.created')).filter(
      (event) => event.data.accountId === account.id,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: staffActor, accountId: account.id, traceId: 'req-test-1' });
  });

  it('answers 409 for a duplicate number, case-insensitively, and 404 for unknown ids', async () => {
    await dir.call('directory.createAccount', { number: 'DUP-1', name: 'First' });
    const duplicate = await dir.failure('directory.createAccount', { number: 'dup-1', name: 'Second' });
    expect([duplicate.code, duplicate.type]).toEqual([409, 'ACCOUNT_NUMBER_TAKEN']);
    const missing = await dir.failure('directory.getAccount', { accountId: '00000000-0000-4000-8000-000000000000' });
    expect([missing.code, missing.type]).toEqual([404, 'ACCOUNT_NOT_FOUND']);
    const unknownClass = await dir.failure('directory.createAccount', {
      number: 'DUP-2',
      name: 'Unknown class',
      classId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknownClass.type).toBe('ACCOUNT_CLASS_NOT_FOUND');
  });

  it('answers 400 VALIDATION_FAILED with field details for bad input', async () => {
    const bad = await dir.failure('directory.createAccount', { number: 'no spaces allowed', name: '' });
    expect([bad.code, bad.type]).toEqual([400, 'VALIDATION_FAILED']);
    expect((bad.details as { path: string }[]).map((issue) => issue.path).sort()).toEqual(['name', 'number']);
  });

  it('groups customer accounts under a consolidated account, and refuses anything else (422)', async () => {
    const group = await dir.call('directory.createAccount', { number: 'GRP-1', name: 'Group', kind: 'consolidated' });
    const member = await dir.call('directory.createAccount', {
      number: 'GRP-1-A',
      name: 'Member',
      consolidatedAccountId: group.id,
    });
    expect(member.consolidatedAccountId).toBe(group.id);
    const intoCustomer = await dir.failure('directory.createAccount', {
      number: 'GRP-1-B',
      name: 'Into a customer',
      consolidatedAccountId: member.id,
    });
    expect([intoCustomer.code, intoCustomer.type]).toEqual([422, 'CONSOLIDATED_ACCOUNT_INVALID']);
    const nested = await dir.failure('directory.updateAccount', {
      accountId: group.id,
      consolidatedAccountId: group.id,
    });
    expect(nested.type).toBe('CONSOLIDATED_ACCOUNT_INVALID');
    const members = await dir.call('directory.listAccounts', { consolidatedAccountId: group.id });
    expect(members.items.map((account) => account.id)).toEqual([member.id]);
  });

  it('updates only what a PATCH names, and archives: hidden from lists, further changes 422', async () => {
    const account = await dir.call('directory.createAccount', { number: 'ARC-1', name: 'To archive' });
    const renamed = await dir.call('directory.updateAccount', { accountId: account.id, name: 'Renamed' });
    expect(renamed).toMatchObject({ number: 'ARC-1', name: 'Renamed' });
    const [updated] = (await outboxEvents(dir, 'directory.account.updated')).filter(
      (event) => event.data.accountId === account.id,
    );
    expect(updated?.data.changed).toEqual(['name']);

    const archived = await dir.call('directory.archiveAccount', { accountId: account.id });
    expect(archived.archivedAt).not.toBeNull();
    expect((await dir.call('directory.listAccounts', { search: 'ARC-1' })).items).toEqual([]);
    expect(
      (await dir.call('directory.listAccounts', { search: 'ARC-1', includeArchived: 'true' })).items.map((a) => a.id),
    ).toEqual([account.id]);
    const change = await dir.failure('directory.updateAccount', { accountId: account.id, name: 'Again' });
    expect([change.code, change.type]).toEqual([422, 'ARCHIVED']);
    const site = await dir.failure('directory.createSite', { accountId: account.id, code: 'S1', name: 'Site' });
    expect(site.type).toBe('ARCHIVED');
  });

  it('pages by name with a keyset cursor that stays stable while rows are inserted', async () => {
    const names = ['Paging A', 'Paging B', 'Paging C', 'Paging D', 'Paging E'];
    for (const [index, name] of names.entries()) {
      await dir.call('directory.createAccount', { number: `PG-${index}`, name });
    }
    const first = await dir.call('directory.listAccounts', { search: 'paging', limit: 2 });
    expect(first.items.map((account) => account.name)).toEqual(['Paging A', 'Paging B']);
    // Rows sorting before and inside the next page arrive between two page requests.
    await dir.call('directory.createAccount', { number: 'PG-AA', name: 'Paging AA' });
    await dir.call('directory.createAccount', { number: 'PG-CC', name: 'Paging CC' });
    const second = await dir.call('directory.listAccounts', {
      search: 'paging',
      limit: 2,
      cursor: first.nextCursor ?? '',
    });
    expect(second.items.map((account) => account.name)).toEqual(['Paging C', 'Paging CC']);
    const third = await dir.call('directory.listAccounts', {
      search: 'paging',
      limit: 2,
      cursor: second.nextCursor ?? '',
    });
    expect(third.items.map((account) => account.name)).toEqual(['Paging D', 'Paging E']);
    expect(third.nextCursor).toBeNull();
  });

  it('rejects a tampered cursor with 400 INVALID_CURSOR, never a 5xx', async () => {
    for (const cursor of ['not-base64-json', Buffer.from('["a","not-a-uuid"]').toString('base64url')]) {
      const bad = await dir.failure('directory.listAccounts', { cursor });
      expect([bad.code, bad.type]).toEqual([400, 'INVALID_CURSOR']);
    }
  });

  it('matches search text literally (a % is not a wildcard)', async () => {
    await dir.call('directory.createAccount', { number: 'PCT-1', name: '100% Steel' });
    await dir.call('directory.createAccount', { number: 'PCT-2', name: '100 Steel' });
    const found = await dir.call('directory.listAccounts', { search: '100%' });
    expect(found.items.map((account) => account.name)).toEqual(['100% Steel']);
  });
});

describe('sites and projects', () => {
  it('creates sites and projects of an account, unique codes per account, sites of the same account only', async () => {
    const account = await dir.call('directory.createAccount', { number: 'SP-1', name: 'Sites and projects' });
    const other = await dir.call('directory.createAccount', { number: 'SP-2', name: 'Other' });
    const site = await dir.call('directory.createSite', {
      accountId: account.id,
      code: 'NORTH',
      name: 'North yard',
      address: { city: 'Hamburg', country: 'DE' },
    });
    expect(site.address).toEqual({ line1: null, line2: null, city: 'Hamburg', postalCode: null, country: 'DE' });
    await dir.call('directory.createSite', { accountId: other.id, code: 'NORTH', name: 'Same code elsewhere' });
    const taken = await dir.failure('directory.createSite', { accountId: account.id, code: 'north', name: 'Again' });
    expect([taken.code, taken.type]).toEqual([409, 'SITE_CODE_TAKEN']);

    const project = await dir.call('directory.createProject', {
      accountId: account.id,
      code: 'P-1',
      name: 'Tower',
      siteId: site.id,
    });
    expect(project).toMatchObject({ siteId: site.id, hidden: false, completed: false });
    const [created] = (await outboxEvents(dir, 'directory.project.created')).filter(
      (event) => event.data.projectId === project.id,
    );
    expect(created?.data).toEqual({
      projectId: project.id,
      accountId: account.id,
      siteId: site.id,
      hidden: false,
      completed: false,
    });
    const foreignSite = await dir.failure('directory.createProject', {
      accountId: other.id,
      code: 'P-1',
      name: 'On a foreign site',
      siteId: site.id,
    });
    expect([foreignSite.code, foreignSite.type]).toEqual([422, 'SITE_NOT_IN_ACCOUNT']);
    const codeTaken = await dir.failure('directory.createProject', { accountId: account.id, code: 'p-1', name: 'Dup' });
    expect(codeTaken.type).toBe('PROJECT_CODE_TAKEN');

    const hidden = await dir.call('directory.updateProject', { projectId: project.id, hidden: true });
    expect(hidden.hidden).toBe(true);
    const [updated] = (await outboxEvents(dir, 'directory.project.updated')).filter(
      (event) => event.data.projectId === project.id,
    );
    expect(updated?.data).toMatchObject({ hidden: true, completed: false, changed: ['hidden'] });
    expect(
      (await dir.call('directory.listProjects', { accountId: account.id, hidden: 'true' })).items.map((p) => p.id),
    ).toEqual([project.id]);
    expect((await dir.call('directory.listProjects', { accountId: account.id, hidden: 'false' })).items).toEqual([]);
    expect(
      (await dir.call('directory.listSites', { accountId: account.id, search: 'yard' })).items.map((s) => s.id),
    ).toEqual([site.id]);

    const archived = await dir.call('directory.archiveSite', { siteId: site.id });
    expect(archived.archivedAt).not.toBeNull();
    expect((await dir.call('directory.listSites', { accountId: account.id })).items).toEqual([]);
    const unknown = await dir.failure('directory.listSites', { accountId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.type).toBe('ACCOUNT_NOT_FOUND');
  });
});

describe('contacts', () => {
  it('creates account- and site-level contacts, lower-cases e-mails, and refuses a duplicate per account (409)', async () => {
    const klass = await dir.call('directory.createAccountClass', { name: 'Auto invite', autoSendInvite: true });
    const account = await dir.call('directory.createAccount', { number: 'CT-1', name: 'Contacts', classId: klass.id });
    const site = await dir.call('directory.createSite', { accountId: account.id, code: 'S', name: 'Site' });
    const anna = await dir.call('directory.createContact', {
      accountId: account.id,
      firstName: 'Anna',
      lastName: 'Berg',
      email: 'Anna.Berg@Example.COM',
    });
    expect(anna).toMatchObject({ email: 'anna.berg@example.com', siteId: null, access: { status: 'none' } });
    const [created] = (await outboxEvents(dir, 'directory.contact.created')).filter(
      (event) => event.data.contactId === anna.id,
    );
    expect(created?.data).toMatchObject({ autoSendInvite: true, email: 'anna.berg@example.com' });

    const siteLevel = await dir.call('directory.createContact', {
      accountId: account.id,
      siteId: site.id,
      firstName: 'Bo',
      lastName: 'Carl',
    });
    expect(siteLevel.siteId).toBe(site.id);
    const [noMail] = (await outboxEvents(dir, 'directory.contact.created')).filter(
      (event) => event.data.contactId === siteLevel.id,
    );
    expect(noMail?.data.autoSendInvite).toBe(false);

    const duplicate = await dir.failure('directory.createContact', {
      accountId: account.id,
      firstName: 'Other',
      lastName: 'Anna',
      email: 'anna.berg@example.com',
    });
    expect([duplicate.code, duplicate.type]).toEqual([409, 'CONTACT_EMAIL_TAKEN']);
    const badMail = await dir.failure('directory.createContact', {
      accountId: account.id,
      firstName: 'X',
      lastName: 'Y',
      email: 'not-an-email',
    });
    expect(badMail.type).toBe('VALIDATION_FAILED');
    expect(badMail.details).toEqual([expect.objectContaining({ path: 'email' })]);

    const byName = await dir.call('directory.listContacts', { accountId: account.id, search: 'anna b' });
    expect(byName.items.map((contact) => contact.id)).toEqual([anna.id]);
    const bySite = await dir.call('directory.listContacts', { accountId: account.id, siteId: site.id });
    expect(bySite.items.map((contact) => contact.id)).toEqual([siteLevel.id]);
  });

  it('updates a contact with an audit entry of what changed, and archives it', async () => {
    const account = await dir.call('directory.createAccount', { number: 'CT-2', name: 'Contacts 2' });
    const contact = await dir.call('directory.createContact', {
      accountId: account.id,
      firstName: 'Cem',
      lastName: 'Demir',
      phone: '+49 40 1234',
    });
    const updated = await dir.call('directory.updateContact', {
      contactId: contact.id,
      title: 'Site manager',
      phone: null,
    });
    expect(updated).toMatchObject({ title: 'Site manager', phone: null, firstName: 'Cem' });
    const trail = await dir.call('directory.listContactAudit', { contactId: contact.id });
    expect(trail.items[0]).toMatchObject({
      entity: 'contact',
      action: 'updated',
      actor: staffActor,
      sourceIp: '203.0.113.7',
      changes: { title: { from: null, to: 'Site manager' }, phone: { from: '+49 40 1234', to: null } },
    });
    expect(Date.parse(trail.items[0]?.occurredAt ?? '')).toBeGreaterThan(Date.now() - 60_000);

    const archived = await dir.call('directory.archiveContact', { contactId: contact.id });
    expect(archived.archivedAt).not.toBeNull();
    expect((await dir.call('directory.listContacts', { accountId: account.id })).items).toEqual([]);
    const again = await dir.failure('directory.updateContact', { contactId: contact.id, title: 'x' });
    expect(again.type).toBe('ARCHIVED');
    const accountTrail = await dir.call('directory.listAccountAudit', { accountId: account.id, limit: 2 });
    expect(accountTrail.items.map((entry) => entry.action)).toEqual(['archived', 'updated']);
    const rest = await dir.call('directory.listAccountAudit', {
      accountId: account.id,
      limit: 2,
      cursor: accountTrail.nextCursor ?? '',
    });
    expect(rest.items.map((entry) => `${entry.entity}:${entry.action}`)).toEqual([
      'contact:created',
      'account:created',
    ]);
  });
});

describe('system options', () => {
  it('changes system options with an audit entry and an event, and skips a no-op', async () => {
    expect(await dir.call('directory.getSystemOptions', {})).toEqual({
      requestLoginButton: false,
      selfRegistration: false,
      updatedAt: null,
    });
    const changed = await dir.call('directory.updateSystemOptions', { requestLoginButton: true });
    expect(changed).toMatchObject({ requestLoginButton: true, selfRegistration: false });
    expect(changed.updatedAt).not.toBeNull();
    await dir.call('directory.updateSystemOptions', { requestLoginButton: true });
    expect(await outboxEvents(dir, 'directory.system-options.changed')).toHaveLength(1);
    expect(await dir.count("select count(*) from audit_entry where entity = 'system-options'")).toBe(1);
  });
});
