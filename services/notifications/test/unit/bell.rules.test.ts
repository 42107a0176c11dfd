import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { notificationSchema } from '@portal/contracts';
import {
  contactSeesOwner,
  documentRequestCreatedNotice,
  documentRequestFulfilledNotice,
  type VisibleScope,
} from '../../src/bell/bell.rules.ts';

const account = randomUUID();
const site = randomUUID();
const project = randomUUID();
const otherProject = randomUUID();

const scope = (fields: Partial<VisibleScope> = {}): VisibleScope => ({
  accessEnabled: true,
  accountIds: [account],
  siteIds: [site],
  projectIds: [project, otherProject],
  itemOwners: { accountIds: [], siteIds: [site], projectIds: [project] },
  ...fields,
});

describe('whom the bell tells about a document request', () => {
  it('tells a contact only about owners whose items it sees, by kind', () => {
    expect(contactSeesOwner(scope(), { kind: 'project', id: project })).toBe(true);
    expect(contactSeesOwner(scope(), { kind: 'site', id: site })).toBe(true);
    // Navigable is not enough: the item owners decide (a selected project never opens its site's items).
    expect(contactSeesOwner(scope(), { kind: 'project', id: otherProject })).toBe(false);
    expect(contactSeesOwner(scope(), { kind: 'account', id: account })).toBe(false);
    // An id of another kind never matches.
    expect(contactSeesOwner(scope(), { kind: 'account', id: site })).toBe(false);
  });

  it('tells nobody whose access is not enabled, or whom the directory does not know', () => {
    expect(contactSeesOwner(scope({ accessEnabled: false }), { kind: 'project', id: project })).toBe(false);
    expect(contactSeesOwner(null, { kind: 'project', id: project })).toBe(false);
  });

  it('words the notices and links them into the right app', () => {
    const created = documentRequestCreatedNotice({
      requestId: randomUUID(),
      accountId: account,
      owner: { kind: 'project', id: project },
      title: 'Signed delivery note',
      requestedFromContactIds: [randomUUID()],
      dueDate: '2027-01-31',
    });
    expect(created).toEqual({
      type: 'document-request.created',
      title: 'New request: Signed delivery note',
      body: 'Due 2027-01-31.',
      link: '/portal/requests',
    });
    const fulfilled = documentRequestFulfilledNotice({
      requestId: randomUUID(),
      accountId: account,
      owner: { kind: 'project', id: project },
      documentId: randomUUID(),
      versionId: randomUUID(),
      contactId: randomUUID(),
    });
    expect(fulfilled.link).toBe(`/admin/accounts/${account}/document-requests`);
    for (const notice of [created, fulfilled]) {
      const asNotification = {
        ...notice,
        id: randomUUID(),
        sequence: 1,
        readAt: null,
        createdAt: new Date().toISOString(),
      };
      expect(notificationSchema.safeParse(asNotification).success).toBe(true);
    }
  });
});
