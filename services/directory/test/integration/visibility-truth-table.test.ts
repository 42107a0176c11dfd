import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import moleculer from 'moleculer';
import type { Project } from '@portal/contracts';
import { DurableEventsMigration, type ServiceOrm } from '@portal/kit';
import { openScratchSchema, type ScratchSchema } from '@portal/testing';
import { directoryMigrations } from '../../src/migrations/index.ts';
import { directoryRows } from '../fixtures/directory-rows.fixture.ts';
import { visibilityActions } from '../../src/visibility/visibility.actions.ts';
import {
  contactIdsSeeingProject,
  isProjectVisible,
  isSiteVisible,
  visibleAccountIds,
  visibleProjectIds,
  visibleSiteIds,
} from '../../src/visibility/visibility.queries.ts';

let scratch: ScratchSchema;
let orm: ServiceOrm;

beforeAll(async () => {
  scratch = await openScratchSchema({
    prefix: 'dir_vis',
    migrations: [DurableEventsMigration, ...directoryMigrations],
  });
  orm = scratch.orm;
});
afterAll(async () => {
  await scratch?.close();
});

// ---- fixtures: plain rows, each case builds its own accounts so cases never see each other ----

const { account, site, project, contact } = directoryRows((sql, params) => orm.em.fork().execute(sql, params));

/** A consolidated account with two member customer accounts, each with a site and a project on it. */
async function consolidatedGroup() {
  const parent = await account({ kind: 'consolidated' });
  const memberA = await account({ memberOf: parent });
  const memberB = await account({ memberOf: parent });
  const siteA = await site(memberA);
  const siteB = await site(memberB);
  return {
    parent,
    memberA,
    memberB,
    siteA,
    siteB,
    projectA: await project(memberA, { siteId: siteA }),
    projectB: await project(memberB, { siteId: siteB }),
  };
}

/** What a case hands to the assertion: whose view, and which row to look for in it. */
interface Probe {
  contact: string;
  target: string;
}

async function expectProjectVisibility({ contact: contactId, target }: Probe, visible: boolean) {
  const em = orm.em.fork();
  expect(await isProjectVisible(em, contactId, target)).toBe(visible);
  expect((await visibleProjectIds(em, contactId)).includes(target)).toBe(visible);
  // The other direction (whom the bell tells about the project) agrees with the rule.
  expect((await contactIdsSeeingProject(em, target)).includes(contactId)).toBe(visible);
}

// ---- the project truth table -----------------------------------------------------------------

const projectCases: [string, () => Promise<Probe>, boolean][] = [
  // hidden × completed (contact enabled, scope all)
  ...(
    [
      [false, false, true],
      [true, false, false],
      [false, true, false],
      [true, true, false],
    ] as const
  ).map(([hidden, completed, visible]): [string, () => Promise<Probe>, boolean] => [
    `hidden=${hidden ? 'yes' : 'no'} completed=${completed ? 'yes' : 'no'} → ${visible ? 'visible' : 'invisible'}`,
    async () => {
      const acc = await account();
      return { target: await project(acc, { hidden, completed }), contact: await contact(acc) };
    },
    visible,
  ]),

  // scope
  [
    'scope all → a project on any site of the account is visible',
    async () => {
      const acc = await account();
      return { target: await project(acc, { siteId: await site(acc) }), contact: await contact(acc) };
    },
    true,
  ],
  [
    'scope all → a project without a site is visible',
    async () => {
      const acc = await account();
      return { target: await project(acc), contact: await contact(acc) };
    },
    true,
  ],
  [
    'scope selected, the project selected → visible',
    async () => {
      const acc = await account();
      const target = await project(acc, { siteId: await site(acc) });
      return { target, contact: await contact(acc, { selected: { projects: [target] } }) };
    },
    true,
  ],
  [
    "scope selected, the project's site selected → visible",
    async () => {
      const acc = await account();
      const siteId = await site(acc);
      const target = await project(acc, { siteId });
      return { target, contact: await contact(acc, { selected: { sites: [siteId] } }) };
    },
    true,
  ],
  [
    'scope selected, only another project selected → invisible',
    async () => {
      const acc = await account();
      const siteId = await site(acc);
      const target = await project(acc, { siteId });
      const other = await project(acc, { siteId });
      return { target, contact: await contact(acc, { selected: { projects: [other] } }) };
    },
    false,
  ],
  [
    'scope selected, only another site selected → invisible',
    async () => {
      const acc = await account();
      const target = await project(acc, { siteId: await site(acc) });
      return { target, contact: await contact(acc, { selected: { sites: [await site(acc)] } }) };
    },
    false,
  ],
  [
    'scope selected, nothing selected → invisible',
    async () => {
      const acc = await account();
      return { target: await project(acc), contact: await contact(acc, { selected: {} }) };
    },
    false,
  ],
  [
    'scope selected, the project selected but hidden → invisible',
    async () => {
      const acc = await account();
      const target = await project(acc, { hidden: true });
      return { target, contact: await contact(acc, { selected: { projects: [target] } }) };
    },
    false,
  ],

  // site-level contacts
  [
    'site-level contact, project on its own site → visible',
    async () => {
      const acc = await account();
      const siteId = await site(acc);
      return { target: await project(acc, { siteId }), contact: await contact(acc, { siteId }) };
    },
    true,
  ],
  [
    'site-level contact, project on another site of its account → invisible',
    async () => {
      const acc = await account();
      const target = await project(acc, { siteId: await site(acc) });
      return { target, contact: await contact(acc, { siteId: await site(acc) }) };
    },
    false,
  ],
  [
    'site-level contact, account-level project without a site → invisible',
    async () => {
      const acc = await account();
      return { target: await project(acc), contact: await contact(acc, { siteId: await site(acc) }) };
    },
    false,
  ],
  [
    'site-level contact, a project on another site selected for it → still invisible',
    async () => {
      const acc = await account();
      const target = await project(acc, { siteId: await site(acc) });
      return { target, contact: await contact(acc, { siteId: await site(acc), selected: { projects: [target] } }) };
    },
    false,
  ],
  [
    'site-level contact, scope selected, project on its own site selected → visible',
    async () => {
      const acc = await account();
      const siteId = await site(acc);
      const target = await project(acc, { siteId });
      return { target, contact: await contact(acc, { siteId, selected: { projects: [target] } }) };
    },
    true,
  ],
  [
    'site-level contact, scope selected, project on its own site not selected → invisible',
    async () => {
      const acc = await account();
      const siteId = await site(acc);
      const target = await project(acc, { siteId });
      const other = await project(acc, { siteId });
      return { target, contact: await contact(acc, { siteId, selected: { projects: [other] } }) };
    },
    false,
  ],

  // accounts and consolidation
  [
    "a contact of another account → invisible, even with the project's id selected",
    async () => {
      const target = await project(await account());
      return { target, contact: await contact(await account(), { selected: { projects: [target] } }) };
    },
    false,
  ],
  [
    "consolidated account's contact, a member account's project → visible",
    async () => {
      const group = await consolidatedGroup();
      return { target: group.projectA, contact: await contact(group.parent) };
    },
    true,
  ],
  [
    "consolidated account's contact, the consolidated account's own project → visible",
    async () => {
      const group = await consolidatedGroup();
      return { target: await project(group.parent), contact: await contact(group.parent) };
    },
    true,
  ],
  [
    "consolidated account's contact, a project of a customer account outside the group → invisible",
    async () => {
      const group = await consolidatedGroup();
      return { target: await project(await account()), contact: await contact(group.parent) };
    },
    false,
  ],
  [
    "consolidated account's contact, an archived member account's project → invisible",
    async () => {
      const parent = await account({ kind: 'consolidated' });
      const member = await account({ memberOf: parent, archived: true });
      return { target: await project(member), contact: await contact(parent) };
    },
    false,
  ],
  [
    "consolidated account's contact, scope selected, a member's project selected → visible",
    async () => {
      const group = await consolidatedGroup();
      return {
        target: group.projectB,
        contact: await contact(group.parent, { selected: { projects: [group.projectB] } }),
      };
    },
    true,
  ],
  [
    "consolidated account's contact, scope selected, a member's site selected → its project visible",
    async () => {
      const group = await consolidatedGroup();
      return { target: group.projectB, contact: await contact(group.parent, { selected: { sites: [group.siteB] } }) };
    },
    true,
  ],
  [
    "consolidated account's contact, scope selected, another member's project selected → invisible",
    async () => {
      const group = await consolidatedGroup();
      return {
        target: group.projectB,
        contact: await contact(group.parent, { selected: { projects: [group.projectA] } }),
      };
    },
    false,
  ],
  [
    "consolidated account's site-level contact, a member account's project → invisible",
    async () => {
      const group = await consolidatedGroup();
      return { target: group.projectA, contact: await contact(group.parent, { siteId: await site(group.parent) }) };
    },
    false,
  ],
  [
    "member account's contact, its own account's project → visible",
    async () => {
      const group = await consolidatedGroup();
      return { target: group.projectA, contact: await contact(group.memberA) };
    },
    true,
  ],
  [
    "member account's contact, a sibling member's project → invisible",
    async () => {
      const group = await consolidatedGroup();
      return { target: group.projectB, contact: await contact(group.memberA) };
    },
    false,
  ],
  [
    "member account's contact, the consolidated account's project → invisible",
    async () => {
      const group = await consolidatedGroup();
      return { target: await project(group.parent), contact: await contact(group.memberA) };
    },
    false,
  ],

  // access status
  ...(
    [
      ['none', false],
      ['invited', false],
      ['enabled', true],
      ['disabled', false],
    ] as const
  ).map(([status, visible]): [string, () => Promise<Probe>, boolean] => [
    `access ${status} → ${visible ? 'visible' : 'invisible'}`,
    async () => {
      const acc = await account();
      return { target: await project(acc), contact: await contact(acc, { status }) };
    },
    visible,
  ]),

  // archived rows
  [
    'archived project → invisible',
    async () => {
      const acc = await account();
      return { target: await project(acc, { archived: true }), contact: await contact(acc) };
    },
    false,
  ],
  [
    'project on an archived site → invisible, even with the project selected',
    async () => {
      const acc = await account();
      const target = await project(acc, { siteId: await site(acc, { archived: true }) });
      return { target, contact: await contact(acc, { selected: { projects: [target] } }) };
    },
    false,
  ],
  [
    "site-level contact whose site is archived → its site's project invisible",
    async () => {
      const acc = await account();
      const siteId = await site(acc, { archived: true });
      return { target: await project(acc, { siteId }), contact: await contact(acc, { siteId }) };
    },
    false,
  ],
  [
    'archived account → its project invisible to its contact',
    async () => {
      const acc = await account({ archived: true });
      return { target: await project(acc), contact: await contact(acc) };
    },
    false,
  ],
  [
    "archived consolidated account → its members' projects invisible to its contact",
    async () => {
      const parent = await account({ kind: 'consolidated', archived: true });
      const member = await account({ memberOf: parent });
      return { target: await project(member), contact: await contact(parent) };
    },
    false,
  ],
  [
    'archived contact (access still enabled) → invisible',
    async () => {
      const acc = await account();
      return { target: await project(acc), contact: await contact(acc, { archived: true }) };
    },
    false,
  ],
];

describe('visibility rule: projects', () => {
  it.each(projectCases)('%s', async (_name, arrange, visible) => {
    await expectProjectVisibility(await arrange(), visible);
  });

  it('lists exactly the visible projects of a contact, no more', async () => {
    const acc = await account();
    const siteId = await site(acc);
    const visible = [await project(acc, { siteId }), await project(acc)];
    await project(acc, { hidden: true });
    await project(acc, { completed: true });
    await project(acc, { archived: true });
    await project(await account());
    const contactId = await contact(acc);
    expect(await visibleProjectIds(orm.em.fork(), contactId)).toEqual([...visible].sort());
  });
});

// ---- sites -----------------------------------------------------------------------------------

const siteCases: [string, () => Promise<Probe>, boolean][] = [
  [
    'scope all → a site of the account is visible',
    async () => {
      const acc = await account();
      return { target: await site(acc), contact: await contact(acc) };
    },
    true,
  ],
  [
    'scope selected, the site selected → visible',
    async () => {
      const acc = await account();
      const target = await site(acc);
      return { target, contact: await contact(acc, { selected: { sites: [target] } }) };
    },
    true,
  ],
  [
    'scope selected, a visible project on the site selected → visible',
    async () => {
      const acc = await account();
      const target = await site(acc);
      const onIt = await project(acc, { siteId: target });
      return { target, contact: await contact(acc, { selected: { projects: [onIt] } }) };
    },
    true,
  ],
  [
    'scope selected, only a hidden project on the site selected → invisible',
    async () => {
      const acc = await account();
      const target = await site(acc);
      const onIt = await project(acc, { siteId: target, hidden: true });
      return { target, contact: await contact(acc, { selected: { projects: [onIt] } }) };
    },
    false,
  ],
  [
    'scope selected, only another site selected → invisible',
    async () => {
      const acc = await account();
      const target = await site(acc);
      return { target, contact: await contact(acc, { selected: { sites: [await site(acc)] } }) };
    },
    false,
  ],
  [
    'site-level contact, its own site → visible',
    async () => {
      const acc = await account();
      const target = await site(acc);
      return { target, contact: await contact(acc, { siteId: target }) };
    },
    true,
  ],
  [
    'site-level contact, another site of its account → invisible, even when selected',
    async () => {
      const acc = await account();
      const target = await site(acc);
      return { target, contact: await contact(acc, { siteId: await site(acc), selected: { sites: [target] } }) };
    },
    false,
  ],
  [
    'archived site → invisible',
    async () => {
      const acc = await account();
      return { target: await site(acc, { archived: true }), contact: await contact(acc) };
    },
    false,
  ],
  [
    "consolidated account's contact, a member account's site → visible",
    async () => {
      const group = await consolidatedGroup();
      return { target: group.siteA, contact: await contact(group.parent) };
    },
    true,
  ],
  [
    "member account's contact, a sibling member's site → invisible",
    async () => {
      const group = await consolidatedGroup();
      return { target: group.siteB, contact: await contact(group.memberA) };
    },
    false,
  ],
  [
    'a site of another account → invisible',
    async () => {
      const target = await site(await account());
      return { target, contact: await contact(await account(), { selected: { sites: [target] } }) };
    },
    false,
  ],
  ...(['none', 'invited', 'disabled'] as const).map((status): [string, () => Promise<Probe>, boolean] => [
    `access ${status} → invisible`,
    async () => {
      const acc = await account();
      return { target: await site(acc), contact: await contact(acc, { status }) };
    },
    false,
  ]),
  [
    'archived contact → invisible',
    async () => {
      const acc = await account();
      return { target: await site(acc), contact: await contact(acc, { archived: true }) };
    },
    false,
  ],
];

describe('visibility rule: sites', () => {
  it.each(siteCases)('%s', async (_name, arrange, visible) => {
    const { contact: contactId, target } = await arrange();
    const em = orm.em.fork();
    expect(await isSiteVisible(em, contactId, target)).toBe(visible);
    expect((await visibleSiteIds(em, contactId)).includes(target)).toBe(visible);
  });
});

// ---- accounts --------------------------------------------------------------------------------

const accountCases: [string, () => Promise<Probe>, boolean][] = [
  [
    'enabled contact, its own account → visible',
    async () => {
      const acc = await account();
      return { target: acc, contact: await contact(acc) };
    },
    true,
  ],
  [
    'enabled contact with scope selected and nothing selected, its own account → visible',
    async () => {
      const acc = await account();
      return { target: acc, contact: await contact(acc, { selected: {} }) };
    },
    true,
  ],
  [
    'site-level contact, its own account → visible',
    async () => {
      const acc = await account();
      return { target: acc, contact: await contact(acc, { siteId: await site(acc) }) };
    },
    true,
  ],
  [
    "consolidated account's contact, a member account → visible",
    async () => {
      const group = await consolidatedGroup();
      return { target: group.memberB, contact: await contact(group.parent) };
    },
    true,
  ],
  [
    "consolidated account's contact, an archived member account → invisible",
    async () => {
      const parent = await account({ kind: 'consolidated' });
      const member = await account({ memberOf: parent, archived: true });
      return { target: member, contact: await contact(parent) };
    },
    false,
  ],
  [
    "consolidated account's site-level contact, a member account → invisible",
    async () => {
      const group = await consolidatedGroup();
      return { target: group.memberA, contact: await contact(group.parent, { siteId: await site(group.parent) }) };
    },
    false,
  ],
  [
    "member account's contact, the consolidated account → invisible",
    async () => {
      const group = await consolidatedGroup();
      return { target: group.parent, contact: await contact(group.memberA) };
    },
    false,
  ],
  [
    "member account's contact, a sibling member account → invisible",
    async () => {
      const group = await consolidatedGroup();
      return { target: group.memberB, contact: await contact(group.memberA) };
    },
    false,
  ],
  [
    'a customer account named as consolidated account by another (bad data) → its contact sees only its own',
    async () => {
      const notConsolidated = await account();
      return { target: await account({ memberOf: notConsolidated }), contact: await contact(notConsolidated) };
    },
    false,
  ],
  [
    'another account → invisible',
    async () => ({ target: await account(), contact: await contact(await account()) }),
    false,
  ],
  ...(['none', 'invited', 'disabled'] as const).map((status): [string, () => Promise<Probe>, boolean] => [
    `access ${status}, its own account → invisible`,
    async () => {
      const acc = await account();
      return { target: acc, contact: await contact(acc, { status }) };
    },
    false,
  ]),
  [
    'archived contact, its own account → invisible',
    async () => {
      const acc = await account();
      return { target: acc, contact: await contact(acc, { archived: true }) };
    },
    false,
  ],
  [
    'archived account → invisible to its contact',
    async () => {
      const acc = await account({ archived: true });
      return { target: acc, contact: await contact(acc) };
    },
    false,
  ],
];

describe('visibility rule: accounts', () => {
  it.each(accountCases)('%s', async (_name, arrange, visible) => {
    const { contact: contactId, target } = await arrange();
    expect((await visibleAccountIds(orm.em.fork(), contactId)).includes(target)).toBe(visible);
  });
});

// ---- the actions, through a broker -----------------------------------------------------------

describe('visibility actions', () => {
  let broker: moleculer.ServiceBroker;

  beforeAll(async () => {
    broker = new moleculer.ServiceBroker({ logger: false, transporter: null });
    broker.createService({ name: 'directory', actions: visibilityActions({ orm }) });
    await broker.start();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('resolveVisibleScope gives the accounts, sites and projects of a consolidated contact with a selection', async () => {
    const group = await consolidatedGroup();
    const otherOnA = await project(group.memberA, { siteId: group.siteA });
    await project(group.memberB, { siteId: group.siteB, completed: true });
    const contactId = await contact(group.parent, { selected: { sites: [group.siteB], projects: [otherOnA] } });

    const scope = await broker.call('directory.resolveVisibleScope', { contactId });

    expect(scope).toEqual({
      accessEnabled: true,
      accountIds: [group.parent, group.memberA, group.memberB].sort(),
      siteIds: [group.siteA, group.siteB].sort(),
      projectIds: [otherOnA, group.projectB].sort(),
      // A selection never opens account-level items; a selected project does not open its site's.
      itemOwners: { accountIds: [], siteIds: [group.siteB], projectIds: [otherOnA, group.projectB].sort() },
    });
  });

  it('resolveVisibleScope gives nothing to a contact whose access is disabled', async () => {
    const acc = await account();
    await project(acc, { siteId: await site(acc) });
    const contactId = await contact(acc, { status: 'disabled' });

    expect(await broker.call('directory.resolveVisibleScope', { contactId })).toEqual({
      accessEnabled: false,
      accountIds: [],
      siteIds: [],
      projectIds: [],
      itemOwners: { accountIds: [], siteIds: [], projectIds: [] },
    });
  });

  it('listContactsSeeingProject gives exactly the enabled contacts who see the project, across a consolidation', async () => {
    const group = await consolidatedGroup();
    const parentContact = await contact(group.parent);
    const memberContact = await contact(group.memberA);
    await contact(group.memberA, { status: 'disabled' });
    await contact(group.memberA, { selected: { sites: [await site(group.memberA)] } });
    await contact(group.memberB);
    const target = await project(group.memberA);

    expect(await broker.call('directory.listContactsSeeingProject', { projectId: target })).toEqual({
      contactIds: [parentContact, memberContact].sort(),
    });
    const hidden = await project(group.memberA, { hidden: true });
    expect(await broker.call('directory.listContactsSeeingProject', { projectId: hidden })).toEqual({ contactIds: [] });
    expect(await broker.call('directory.listContactsSeeingProject', { projectId: randomUUID() })).toEqual({
      contactIds: [],
    });
  });

  it.each(['directory.resolveVisibleScope', 'directory.listVisibleProjects'])(
    '%s answers 404 CONTACT_NOT_FOUND for an unknown contact',
    async (action) => {
      await expect(broker.call(action, { contactId: randomUUID() })).rejects.toMatchObject({
        code: 404,
        type: 'CONTACT_NOT_FOUND',
      });
    },
  );

  it('listVisibleProjects pages the visible projects by code, stable while projects are added', async () => {
    const acc = await account();
    const codes = ['alpha', 'Bravo', 'charlie', 'Delta', 'echo', 'Foxtrot', 'golf'];
    for (const code of codes) await project(acc, { code });
    await project(acc, { code: 'aardvark-hidden', hidden: true });
    await project(acc, { code: 'bb-completed', completed: true });
    const contactId = await contact(acc);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page: { items: Project[]; nextCursor: string | null } = await broker.call('directory.listVisibleProjects', {
        contactId,
        limit: 3,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((item) => item.code));
      pages += 1;
      // A project sorting before the cursor appears meanwhile: no page shifts, nothing repeats.
      if (pages === 1) await project(acc, { code: 'Able' });
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    expect(seen).toEqual(codes);
    expect(pages).toBe(3);
  });

  it('listVisibleProjects gives an empty page to a contact who sees nothing', async () => {
    const acc = await account();
    await project(acc);
    const contactId = await contact(acc, { status: 'invited' });
    expect(await broker.call('directory.listVisibleProjects', { contactId })).toEqual({ items: [], nextCursor: null });
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['a key whose id is not a uuid', Buffer.from(JSON.stringify(['alpha', 'nope'])).toString('base64url')],
  ])('listVisibleProjects answers 400 INVALID_CURSOR for a cursor that is %s', async (_what, cursor) => {
    const acc = await account();
    const contactId = await contact(acc);
    await expect(broker.call('directory.listVisibleProjects', { contactId, cursor })).rejects.toMatchObject({
      code: 400,
      type: 'INVALID_CURSOR',
    });
  });
});
