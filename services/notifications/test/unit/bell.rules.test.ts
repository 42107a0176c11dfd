import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { notificationSchema } from '@portal/contracts';
import {
  contactSeesOwner,
  documentRequestCreatedNotice,
  documentRequestFulfilledNotice,
  staffIncomingSubmittalsLink,
  submittalOverdueNotice,
  submittalReceivedNotice,
  submittalReturnedNotice,
  submittalSentNotice,
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

describe('what the bell says about submittals', () => {
  const submittalId = randomUUID();
  const facts = {
    submittalId,
    accountId: account,
    projectId: project,
    number: 'T-0001',
    revision: 0,
    title: 'Pump skid GA',
  };
  const asNotification = (notice: object) => ({
    ...notice,
    id: randomUUID(),
    sequence: 1,
    readAt: null,
    createdAt: new Date().toISOString(),
  });

  it('tells the contacts of a sent submittal with a link into the portal, e-mail or not', () => {
    for (const notifyByEmail of [true, false]) {
      const sent = submittalSentNotice({
        ...facts,
        purpose: 'for-approval',
        notifyByEmail,
        dueDate: '2027-01-31',
        expectedReturnDate: null,
      });
      expect(sent).toEqual({
        type: 'submittal.sent',
        title: 'New submittal T-0001: Pump skid GA',
        body: 'For approval. Due 2027-01-31.',
        link: `/portal/submittals/${submittalId}`,
      });
    }
    const revised = submittalSentNotice({
      ...facts,
      revision: 2,
      purpose: 'for-information',
      notifyByEmail: false,
      dueDate: null,
      expectedReturnDate: null,
    });
    expect(revised.title).toBe('New submittal T-0001 rev 2: Pump skid GA');
    expect(revised.body).toBe('For information.');
  });

  it('tells staff of returned, received and overdue submittals with links into the admin app', () => {
    const returned = submittalReturnedNotice({
      ...facts,
      contactId: randomUUID(),
      code: 'B',
      label: 'Approved as noted',
      stageComplete: true,
    });
    expect(returned).toEqual({
      type: 'submittal.returned',
      title: 'A customer returned T-0001 (Approved as noted)',
      body: 'Pump skid GA',
      link: `/admin/submittals/${submittalId}`,
    });
    const received = submittalReceivedNotice({
      incomingSubmittalId: randomUUID(),
      accountId: account,
      projectId: project,
      contactId: randomUUID(),
      transmittalNumber: 'CUST-17',
      fileCount: 1,
    });
    expect(received).toEqual({
      type: 'submittal.received',
      title: 'New submittal from a customer',
      body: 'Transmittal CUST-17, 1 file.',
      link: staffIncomingSubmittalsLink,
    });
    const overdue = submittalOverdueNotice({ ...facts, expectedReturnDate: '2026-11-30' });
    expect(overdue).toMatchObject({ type: 'submittal.overdue', title: 'Submittal T-0001 is overdue' });
    expect(overdue.link).toBe(`/admin/submittals/${submittalId}`);
    for (const notice of [returned, received, overdue]) {
      expect(notificationSchema.safeParse(asNotification(notice)).success).toBe(true);
    }
  });
});
