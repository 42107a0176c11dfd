import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import moleculer from 'moleculer';
import type { DocumentOwnerKind, DocumentSharing } from '@portal/contracts';
import { DurableEventsMigration } from '@portal/kit';
import { directoryMigrations } from '@portal/directory/migrations';
import { contractCaller, openScratchSchema, type ContractCaller, type ScratchSchema } from '@portal/testing';
import { directoryService } from '@portal/directory/service';
import { directoryRows } from '@portal/directory/test-fixtures/directory-rows';
import { ClamdScanner } from '../../src/adapters/malware-scanner.adapter.ts';
import { ObjectStorage } from '../../src/adapters/object-storage.adapter.ts';
import { documentsService } from '../../src/documents.service.ts';
import { documentsMigrations } from '../../src/migrations/index.ts';
import { documentsStoreOf } from '../../src/persistence/documents-store.ts';
import { VersionScanning } from '../../src/scanning/version-scanning.ts';

/**
 * The portal visibility rule for documents and document requests (DESIGN, "The portal visibility
 * rule"; issue 9's acceptance case), case by case: the real directory service (which resolves the
 * contact's visible owners) and the real documents service on one local broker, each over its own
 * scratch schema with its real migrations. Directory rows and documents rows are plain inserts;
 * every assertion goes through the portal actions a contact calls.
 */

let directorySchema: ScratchSchema;
let documentsSchema: ScratchSchema;
let broker: moleculer.ServiceBroker;
let portal: ContractCaller;
const fileTypes = { customerVisible: '', notCustomerVisible: '' };

beforeAll(async () => {
  directorySchema = await openScratchSchema({
    prefix: 'doc_vis_dir',
    migrations: [DurableEventsMigration, ...directoryMigrations],
  });
  documentsSchema = await openScratchSchema({
    prefix: 'doc_vis_docs',
    migrations: [DurableEventsMigration, ...documentsMigrations],
  });
  broker = new moleculer.ServiceBroker({
    nodeID: `doc-vis-${documentsSchema.schema}`,
    logger: false,
    transporter: null,
  });
  const orm = documentsSchema.orm;
  const store = documentsStoreOf(orm);
  // Presigning a GET is local arithmetic: no store is reached, so none needs to run for these reads.
  const storage = new ObjectStorage({
    endpoint: 'http://127.0.0.1:9',
    accessKey: 'visibility-test',
    secretKey: 'visibility-test-secret',
    region: 'us-east-1',
    bucket: 'portal-documents',
  });
  // Never asked: no upload is finalized here.
  const scanner = new ClamdScanner({ url: 'tcp://127.0.0.1:9', timeoutMs: 1000 });
  const scanning = new VersionScanning(store, storage, scanner, broker.getLogger('doc-vis'));
  broker.createService(directoryService({ orm: directorySchema.orm, readiness: {} }));
  broker.createService(
    documentsService(
      { orm, store, storage, scanning, settings: { uploadTtlSeconds: 900, downloadTtlSeconds: 60 } },
      {},
    ),
  );
  await broker.start();
  portal = contractCaller(broker, {});

  // The migration's seeded file types: "drawing" is customer-visible, "internal-note" is not.
  const types = await documentsSchema.orm.em
    .fork()
    .execute<{ id: string; code: string }[]>(
      "select id, code from file_type where code in ('drawing', 'internal-note')",
    );
  fileTypes.customerVisible = types.find((type) => type.code === 'drawing')?.id ?? '';
  fileTypes.notCustomerVisible = types.find((type) => type.code === 'internal-note')?.id ?? '';
  expect(fileTypes.customerVisible).not.toBe('');
  expect(fileTypes.notCustomerVisible).not.toBe('');
});
afterAll(async () => {
  await broker?.stop();
  await documentsSchema?.close();
  await directorySchema?.close();
});

const asContact = (contactId: string) => ({ actor: { kind: 'contact', contactId, userId: 'x' } });

// ---- directory fixtures: plain rows, each case builds its own accounts so cases never see each other ----

let serial = 0;
const nextCode = (prefix: string) => `${prefix}-${(serial += 1)}`;

const { account, site, project, contact } = directoryRows((sql, params) =>
  directorySchema.orm.em.fork().execute(sql, params),
);

interface Owner {
  kind: DocumentOwnerKind;
  id: string;
  accountId: string;
}

/** An owner of the given level in the account: the account itself, a site of it, or a project on a site of it. */
async function ownerAt(kind: DocumentOwnerKind, accountId: string): Promise<Owner> {
  if (kind === 'account') return { kind, id: accountId, accountId };
  const siteId = await site(accountId);
  if (kind === 'site') return { kind, id: siteId, accountId };
  return { kind, id: await project(accountId, { siteId }), accountId };
}

const projectOwner = (accountId: string, projectId: string): Owner => ({ kind: 'project', id: projectId, accountId });
const siteOwner = (accountId: string, siteId: string): Owner => ({ kind: 'site', id: siteId, accountId });
const accountOwner = (accountId: string): Owner => ({ kind: 'account', id: accountId, accountId });

// ---- documents fixtures: rows straight into the documents schema (no S3 is involved in visibility) ----

const staffJson = JSON.stringify({ kind: 'staff', userId: 'staff-visibility-test' });

async function documentsExecute(sql: string, params: unknown[]): Promise<void> {
  await documentsSchema.orm.em.fork().execute(sql, params);
}

interface DocumentOptions {
  title?: string;
  /** Default: a customer-visible file type. */
  customerVisibleType?: boolean;
  sharing?: DocumentSharing;
  sharedWith?: string[];
  archived?: boolean;
  /** The scan state of its only version; anything but `clean` leaves `current_version_id` null. Default clean. */
  versionState?: 'clean' | 'pending' | 'infected';
  /** A second version, newer, still pending: the current version stays the clean first one. */
  pendingSecondVersion?: boolean;
}

interface DocumentFixture {
  id: string;
  /** The version a download would ask for: the current one, or the only (unclean) one. */
  versionId: string;
  pendingVersionId?: string;
}

async function version(documentId: string, number: number, state: 'clean' | 'pending' | 'infected') {
  const id = randomUUID();
  await documentsExecute(
    `insert into document_version
       (id, document_id, number, object_key, size_bytes, sha256, content_type, file_name, scan_state, scanned_at, uploaded_by)
     values (?, ?, ?, ?, 1234, ?, 'application/pdf', ?, ?, ${state === 'pending' ? 'null' : 'now()'}, ?::jsonb)`,
    [
      id,
      documentId,
      number,
      `versions/${id}`,
      createHash('sha256').update(id).digest('hex'),
      `file-${number}.pdf`,
      state,
      staffJson,
    ],
  );
  return id;
}

async function document(owner: Owner, options: DocumentOptions = {}): Promise<DocumentFixture> {
  const id = randomUUID();
  const fileTypeId = (options.customerVisibleType ?? true) ? fileTypes.customerVisible : fileTypes.notCustomerVisible;
  await documentsExecute(
    `insert into document (id, account_id, owner_kind, owner_id, title, file_type_id, sharing, created_by, archived_at)
     values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ${options.archived ? 'now()' : 'null'})`,
    [
      id,
      owner.accountId,
      owner.kind,
      owner.id,
      options.title ?? `Document ${nextCode('DOC')}`,
      fileTypeId,
      options.sharing ?? 'by-file-type',
      staffJson,
    ],
  );
  for (const contactId of options.sharedWith ?? []) {
    await documentsExecute('insert into document_share (document_id, contact_id) values (?, ?)', [id, contactId]);
  }
  const state = options.versionState ?? 'clean';
  const versionId = await version(id, 1, state);
  const current = state === 'clean' ? versionId : null;
  let latest: string = versionId;
  let pendingVersionId: string | undefined;
  if (options.pendingSecondVersion) {
    pendingVersionId = await version(id, 2, 'pending');
    latest = pendingVersionId;
  }
  await documentsExecute('update document set current_version_id = ?, latest_version_id = ? where id = ?', [
    current,
    latest,
    id,
  ]);
  return { id, versionId, ...(pendingVersionId ? { pendingVersionId } : {}) };
}

async function documentRequest(
  owner: Owner,
  contactIds: string[],
  options: { status?: 'open' | 'cancelled' } = {},
): Promise<string> {
  const id = randomUUID();
  await documentsExecute(
    `insert into document_request (id, account_id, owner_kind, owner_id, title, file_type_id, status, created_by)
     values (?, ?, ?, ?, ?, ?, ?, ?::jsonb)`,
    [
      id,
      owner.accountId,
      owner.kind,
      owner.id,
      `Request ${nextCode('REQ')}`,
      fileTypes.customerVisible,
      options.status ?? 'open',
      staffJson,
    ],
  );
  for (const contactId of contactIds) {
    await documentsExecute('insert into document_request_contact (request_id, contact_id) values (?, ?)', [
      id,
      contactId,
    ]);
  }
  return id;
}

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

// ---- the assertion: a list, a direct read and a download, all three agree -------------------

interface Probe {
  contact: string;
  document: DocumentFixture;
}

async function listedIds(contactId: string): Promise<string[]> {
  const page = await portal.call('documents.listPortalDocuments', { limit: 100 }, asContact(contactId));
  expect(page.nextCursor).toBeNull();
  return page.items.map((item) => item.id);
}

async function expectDocumentVisibility({ contact: contactId, document: target }: Probe, visible: boolean) {
  const meta = asContact(contactId);
  const listed = await listedIds(contactId);
  const download = { documentId: target.id, versionId: target.versionId };
  if (visible) {
    expect(listed).toContain(target.id);
    const read = await portal.call('documents.getPortalDocument', { documentId: target.id }, meta);
    expect(read.id).toBe(target.id);
    expect(read.currentVersion.id).toBe(target.versionId);
    const link = await portal.call('documents.createPortalDownloadLink', download, meta);
    expect(link.url).toContain(`versions/${target.versionId}`);
    const logged = await documentsSchema.orm.em
      .fork()
      .execute<{ count: string }[]>('select count(*) from download_log where document_id = ? and contact_id = ?', [
        target.id,
        contactId,
      ]);
    expect(Number(logged[0]?.count)).toBe(1);
  } else {
    expect(listed).not.toContain(target.id);
    for (const [action, params] of [
      ['documents.getPortalDocument', { documentId: target.id }],
      ['documents.createPortalDownloadLink', download],
    ] as const) {
      const error = await portal.failure(action, params, meta);
      expect(error, action).toMatchObject({ code: 404, type: 'DOCUMENT_NOT_FOUND' });
    }
    // Nothing leaks into the download log on a refused link.
    const logged = await documentsSchema.orm.em
      .fork()
      .execute<{ count: string }[]>('select count(*) from download_log where document_id = ?', [target.id]);
    expect(Number(logged[0]?.count)).toBe(0);
  }
}

type Case = [string, () => Promise<Probe>, boolean];

const ownerKinds: DocumentOwnerKind[] = ['account', 'site', 'project'];

// ---- sharing × file type, for owners at each level (contact: scope all, no site) -------------

const sharingCases: Case[] = ownerKinds.flatMap((kind): Case[] => [
  [
    `${kind}-level, shared by file type, type customer-visible → visible`,
    async () => {
      const acc = await account();
      return { document: await document(await ownerAt(kind, acc)), contact: await contact(acc) };
    },
    true,
  ],
  [
    `${kind}-level, shared by file type, type not customer-visible → invisible`,
    async () => {
      const acc = await account();
      const target = await document(await ownerAt(kind, acc), { customerVisibleType: false });
      return { document: target, contact: await contact(acc) };
    },
    false,
  ],
  [
    `${kind}-level, internal only (type customer-visible) → invisible`,
    async () => {
      const acc = await account();
      const target = await document(await ownerAt(kind, acc), { sharing: 'internal' });
      return { document: target, contact: await contact(acc) };
    },
    false,
  ],
  [
    `${kind}-level, shared with contacts naming this one (type not customer-visible) → visible`,
    async () => {
      const acc = await account();
      const owner = await ownerAt(kind, acc);
      const me = await contact(acc);
      const target = await document(owner, {
        customerVisibleType: false,
        sharing: 'contacts',
        sharedWith: [await contact(acc), me],
      });
      return { document: target, contact: me };
    },
    true,
  ],
  [
    `${kind}-level, shared with contacts naming another one only (type customer-visible) → invisible`,
    async () => {
      const acc = await account();
      const owner = await ownerAt(kind, acc);
      const target = await document(owner, { sharing: 'contacts', sharedWith: [await contact(acc)] });
      return { document: target, contact: await contact(acc) };
    },
    false,
  ],
  [
    `${kind}-level, shared with contacts naming no one → invisible`,
    async () => {
      const acc = await account();
      const target = await document(await ownerAt(kind, acc), { sharing: 'contacts' });
      return { document: target, contact: await contact(acc) };
    },
    false,
  ],
]);

// ---- the document's own state ---------------------------------------------------------------

const documentStateCases: Case[] = [
  ...ownerKinds.map((kind): Case => [
    `${kind}-level, archived document → invisible`,
    async () => {
      const acc = await account();
      return { document: await document(await ownerAt(kind, acc), { archived: true }), contact: await contact(acc) };
    },
    false,
  ]),
  ...(['pending', 'infected'] as const).map((versionState): Case => [
    `only version ${versionState} (no current version) → invisible`,
    async () => {
      const acc = await account();
      return { document: await document(await ownerAt('project', acc), { versionState }), contact: await contact(acc) };
    },
    false,
  ]),
  [
    'only version pending, shared with contacts naming this one → invisible',
    async () => {
      const acc = await account();
      const me = await contact(acc);
      const target = await document(await ownerAt('project', acc), {
        versionState: 'pending',
        sharing: 'contacts',
        sharedWith: [me],
      });
      return { document: target, contact: me };
    },
    false,
  ],
  [
    'a clean current version and a newer pending one → visible (the clean one)',
    async () => {
      const acc = await account();
      const target = await document(await ownerAt('project', acc), { pendingSecondVersion: true });
      return { document: target, contact: await contact(acc) };
    },
    true,
  ],
];

// ---- project-level owners ---------------------------------------------------------------------

const projectCases: Case[] = [
  ...(
    [
      [true, false],
      [false, true],
      [true, true],
    ] as const
  ).map(([hidden, completed]): Case => [
    `project hidden=${hidden ? 'yes' : 'no'} completed=${completed ? 'yes' : 'no'} → invisible`,
    async () => {
      const acc = await account();
      const projectId = await project(acc, { siteId: await site(acc), hidden, completed });
      return { document: await document(projectOwner(acc, projectId)), contact: await contact(acc) };
    },
    false,
  ]),
  [
    'project hidden, the project selected for the contact → invisible',
    async () => {
      const acc = await account();
      const projectId = await project(acc, { hidden: true });
      return {
        document: await document(projectOwner(acc, projectId)),
        contact: await contact(acc, { selected: { projects: [projectId] } }),
      };
    },
    false,
  ],
  [
    'project completed, shared with contacts naming this one → invisible',
    async () => {
      const acc = await account();
      const projectId = await project(acc, { completed: true });
      const me = await contact(acc);
      return {
        document: await document(projectOwner(acc, projectId), { sharing: 'contacts', sharedWith: [me] }),
        contact: me,
      };
    },
    false,
  ],
  [
    'project archived → invisible',
    async () => {
      const acc = await account();
      const projectId = await project(acc, { archived: true });
      return { document: await document(projectOwner(acc, projectId)), contact: await contact(acc) };
    },
    false,
  ],
  [
    'project on an archived site → invisible, even with the project selected',
    async () => {
      const acc = await account();
      const projectId = await project(acc, { siteId: await site(acc, { archived: true }) });
      return {
        document: await document(projectOwner(acc, projectId)),
        contact: await contact(acc, { selected: { projects: [projectId] } }),
      };
    },
    false,
  ],
  [
    'project without a site, contact scope all → visible',
    async () => {
      const acc = await account();
      return { document: await document(projectOwner(acc, await project(acc))), contact: await contact(acc) };
    },
    true,
  ],
  [
    'scope selected, the project selected → visible',
    async () => {
      const acc = await account();
      const projectId = await project(acc, { siteId: await site(acc) });
      return {
        document: await document(projectOwner(acc, projectId)),
        contact: await contact(acc, { selected: { projects: [projectId] } }),
      };
    },
    true,
  ],
  [
    "scope selected, the project's site selected → visible",
    async () => {
      const acc = await account();
      const siteId = await site(acc);
      const projectId = await project(acc, { siteId });
      return {
        document: await document(projectOwner(acc, projectId)),
        contact: await contact(acc, { selected: { sites: [siteId] } }),
      };
    },
    true,
  ],
  [
    'scope selected, only another project selected → invisible',
    async () => {
      const acc = await account();
      const siteId = await site(acc);
      const projectId = await project(acc, { siteId });
      const other = await project(acc, { siteId });
      return {
        document: await document(projectOwner(acc, projectId)),
        contact: await contact(acc, { selected: { projects: [other] } }),
      };
    },
    false,
  ],
  [
    'scope selected, a site outside the scope → its project invisible',
    async () => {
      const acc = await account();
      const projectId = await project(acc, { siteId: await site(acc) });
      return {
        document: await document(projectOwner(acc, projectId)),
        contact: await contact(acc, { selected: { sites: [await site(acc)] } }),
      };
    },
    false,
  ],
  [
    'scope selected, nothing selected → invisible',
    async () => {
      const acc = await account();
      return {
        document: await document(projectOwner(acc, await project(acc))),
        contact: await contact(acc, { selected: {} }),
      };
    },
    false,
  ],
  [
    'site-level contact, a project on its own site → visible',
    async () => {
      const acc = await account();
      const siteId = await site(acc);
      return {
        document: await document(projectOwner(acc, await project(acc, { siteId }))),
        contact: await contact(acc, { siteId }),
      };
    },
    true,
  ],
  [
    'site-level contact, a project on another site of its account → invisible',
    async () => {
      const acc = await account();
      const projectId = await project(acc, { siteId: await site(acc) });
      return {
        document: await document(projectOwner(acc, projectId)),
        contact: await contact(acc, { siteId: await site(acc) }),
      };
    },
    false,
  ],
  [
    "consolidated account's contact (scope all), a member account's project → visible",
    async () => {
      const group = await consolidatedGroup();
      return {
        document: await document(projectOwner(group.memberA, group.projectA)),
        contact: await contact(group.parent),
      };
    },
    true,
  ],
  [
    "member account's contact, a sibling member's project → invisible",
    async () => {
      const group = await consolidatedGroup();
      return {
        document: await document(projectOwner(group.memberB, group.projectB)),
        contact: await contact(group.memberA),
      };
    },
    false,
  ],
];

// ---- site-level owners ------------------------------------------------------------------------

const siteCases: Case[] = [
  [
    'scope selected, the site selected → visible',
    async () => {
      const acc = await account();
      const siteId = await site(acc);
      return {
        document: await document(siteOwner(acc, siteId)),
        contact: await contact(acc, { selected: { sites: [siteId] } }),
      };
    },
    true,
  ],
  [
    "scope selected, a project on the site selected → the site's own documents stay invisible",
    async () => {
      const acc = await account();
      const siteId = await site(acc);
      const onIt = await project(acc, { siteId });
      return {
        document: await document(siteOwner(acc, siteId)),
        contact: await contact(acc, { selected: { projects: [onIt] } }),
      };
    },
    false,
  ],
  [
    'scope selected, only another site selected (site outside the scope) → invisible',
    async () => {
      const acc = await account();
      const siteId = await site(acc);
      return {
        document: await document(siteOwner(acc, siteId)),
        contact: await contact(acc, { selected: { sites: [await site(acc)] } }),
      };
    },
    false,
  ],
  [
    'site archived, contact scope all → invisible',
    async () => {
      const acc = await account();
      const siteId = await site(acc, { archived: true });
      return { document: await document(siteOwner(acc, siteId)), contact: await contact(acc) };
    },
    false,
  ],
  [
    'site archived, the site selected → invisible',
    async () => {
      const acc = await account();
      const siteId = await site(acc, { archived: true });
      return {
        document: await document(siteOwner(acc, siteId)),
        contact: await contact(acc, { selected: { sites: [siteId] } }),
      };
    },
    false,
  ],
  [
    'site-level contact, its own site → visible',
    async () => {
      const acc = await account();
      const siteId = await site(acc);
      return { document: await document(siteOwner(acc, siteId)), contact: await contact(acc, { siteId }) };
    },
    true,
  ],
  [
    'site-level contact, another site of its account → invisible, even when selected',
    async () => {
      const acc = await account();
      const siteId = await site(acc);
      return {
        document: await document(siteOwner(acc, siteId)),
        contact: await contact(acc, { siteId: await site(acc), selected: { sites: [siteId] } }),
      };
    },
    false,
  ],
  [
    "consolidated account's contact (scope all), a member account's site → visible",
    async () => {
      const group = await consolidatedGroup();
      return { document: await document(siteOwner(group.memberB, group.siteB)), contact: await contact(group.parent) };
    },
    true,
  ],
  [
    "member account's contact, a sibling member's site → invisible",
    async () => {
      const group = await consolidatedGroup();
      return { document: await document(siteOwner(group.memberB, group.siteB)), contact: await contact(group.memberA) };
    },
    false,
  ],
];

// ---- account-level owners ---------------------------------------------------------------------

const accountCases: Case[] = [
  [
    'scope selected (a site and a project selected) → invisible',
    async () => {
      const acc = await account();
      const siteId = await site(acc);
      const projectId = await project(acc, { siteId });
      return {
        document: await document(accountOwner(acc)),
        contact: await contact(acc, { selected: { sites: [siteId], projects: [projectId] } }),
      };
    },
    false,
  ],
  [
    'site-level contact with scope all → invisible',
    async () => {
      const acc = await account();
      return { document: await document(accountOwner(acc)), contact: await contact(acc, { siteId: await site(acc) }) };
    },
    false,
  ],
  [
    'site-level contact, shared with contacts naming it → still invisible',
    async () => {
      const acc = await account();
      const me = await contact(acc, { siteId: await site(acc) });
      return { document: await document(accountOwner(acc), { sharing: 'contacts', sharedWith: [me] }), contact: me };
    },
    false,
  ],
  [
    "consolidated account's contact (scope all), a member account's own document → visible",
    async () => {
      const group = await consolidatedGroup();
      return { document: await document(accountOwner(group.memberA)), contact: await contact(group.parent) };
    },
    true,
  ],
  [
    "consolidated account's contact (scope all), the consolidated account's own document → visible",
    async () => {
      const group = await consolidatedGroup();
      return { document: await document(accountOwner(group.parent)), contact: await contact(group.parent) };
    },
    true,
  ],
  [
    "consolidated account's contact with scope selected, a member account's document → invisible",
    async () => {
      const group = await consolidatedGroup();
      return {
        document: await document(accountOwner(group.memberA)),
        contact: await contact(group.parent, { selected: { sites: [group.siteA] } }),
      };
    },
    false,
  ],
  [
    "consolidated account's site-level contact, a member account's document → invisible",
    async () => {
      const group = await consolidatedGroup();
      return {
        document: await document(accountOwner(group.memberA)),
        contact: await contact(group.parent, { siteId: await site(group.parent) }),
      };
    },
    false,
  ],
  [
    "member account's contact, the consolidated account's document → invisible",
    async () => {
      const group = await consolidatedGroup();
      return { document: await document(accountOwner(group.parent)), contact: await contact(group.memberA) };
    },
    false,
  ],
  [
    "member account's contact, a sibling member's document → invisible",
    async () => {
      const group = await consolidatedGroup();
      return { document: await document(accountOwner(group.memberB)), contact: await contact(group.memberA) };
    },
    false,
  ],
];

// ---- another account, and the contact's own state, at every owner level ---------------------

const contactCases: Case[] = ownerKinds.flatMap((kind): Case[] => [
  [
    `${kind}-level document of another account → invisible, even shared with the contact by id`,
    async () => {
      const other = await account();
      const owner = await ownerAt(kind, other);
      const me = await contact(
        await account(),
        kind === 'project'
          ? { selected: { projects: [owner.id] } }
          : kind === 'site'
            ? { selected: { sites: [owner.id] } }
            : {},
      );
      return { document: await document(owner, { sharing: 'contacts', sharedWith: [me] }), contact: me };
    },
    false,
  ],
  ...(['disabled', 'invited', 'none'] as const).map((status): Case => [
    `${kind}-level, contact access ${status} → invisible`,
    async () => {
      const acc = await account();
      return { document: await document(await ownerAt(kind, acc)), contact: await contact(acc, { status }) };
    },
    false,
  ]),
  [
    `${kind}-level, archived contact (access still enabled) → invisible`,
    async () => {
      const acc = await account();
      return { document: await document(await ownerAt(kind, acc)), contact: await contact(acc, { archived: true }) };
    },
    false,
  ],
]);

describe('document visibility: the truth table (list, GET, download link)', () => {
  describe.each([
    ['sharing and file type', sharingCases],
    ["the document's state", documentStateCases],
    ['project-level owners', projectCases],
    ['site-level owners', siteCases],
    ['account-level owners', accountCases],
    ["other accounts and the contact's access", contactCases],
  ] as const)('%s', (_group, cases) => {
    it.each(cases)('%s', async (_name, arrange, visible) => {
      await expectDocumentVisibility(await arrange(), visible);
    });
  });

  it('a disabled contact sees nothing at all, though its account has documents at every level', async () => {
    const acc = await account();
    for (const kind of ownerKinds) await document(await ownerAt(kind, acc));
    const me = await contact(acc, { status: 'disabled' });
    expect(await listedIds(me)).toEqual([]);
    const requests = await portal.call('documents.listPortalDocumentRequests', {}, asContact(me));
    expect(requests.items).toEqual([]);
  });

  it('a visible document lists only its clean versions; its pending version answers VERSION_NOT_FOUND', async () => {
    const acc = await account();
    const me = await contact(acc);
    const target = await document(await ownerAt('project', acc), { pendingSecondVersion: true });
    const read = await portal.call('documents.getPortalDocument', { documentId: target.id }, asContact(me));
    expect(read.versions.map((v) => v.id)).toEqual([target.versionId]);
    const error = await portal.failure(
      'documents.createPortalDownloadLink',
      { documentId: target.id, versionId: target.pendingVersionId ?? '' },
      asContact(me),
    );
    expect(error).toMatchObject({ code: 404, type: 'VERSION_NOT_FOUND' });
  });
});

// ---- document requests ------------------------------------------------------------------------

interface RequestProbe {
  contact: string;
  request: string;
}
type RequestCase = [string, () => Promise<RequestProbe>, boolean];

const requestCases: RequestCase[] = [
  ...ownerKinds.map((kind): RequestCase => [
    `${kind}-level, naming the contact (scope all) → visible`,
    async () => {
      const acc = await account();
      const me = await contact(acc);
      return { request: await documentRequest(await ownerAt(kind, acc), [me]), contact: me };
    },
    true,
  ]),
  ...ownerKinds.map((kind): RequestCase => [
    `${kind}-level, naming another contact only → invisible`,
    async () => {
      const acc = await account();
      const request = await documentRequest(await ownerAt(kind, acc), [await contact(acc)]);
      return { request, contact: await contact(acc) };
    },
    false,
  ]),
  ...(
    [
      ['hidden', { hidden: true }],
      ['completed', { completed: true }],
      ['archived', { archived: true }],
    ] as const
  ).map(([state, options]): RequestCase => [
    `naming the contact, on a ${state} project → invisible`,
    async () => {
      const acc = await account();
      const me = await contact(acc);
      return { request: await documentRequest(projectOwner(acc, await project(acc, options)), [me]), contact: me };
    },
    false,
  ]),
  [
    'naming the contact, on a project outside its selected scope → invisible',
    async () => {
      const acc = await account();
      const me = await contact(acc, { selected: { projects: [await project(acc)] } });
      return { request: await documentRequest(projectOwner(acc, await project(acc)), [me]), contact: me };
    },
    false,
  ],
  [
    'naming the contact, on the site of its only selected project → invisible',
    async () => {
      const acc = await account();
      const siteId = await site(acc);
      const me = await contact(acc, { selected: { projects: [await project(acc, { siteId })] } });
      return { request: await documentRequest(siteOwner(acc, siteId), [me]), contact: me };
    },
    false,
  ],
  [
    'naming a site-level contact, account-level → invisible',
    async () => {
      const acc = await account();
      const me = await contact(acc, { siteId: await site(acc) });
      return { request: await documentRequest(accountOwner(acc), [me]), contact: me };
    },
    false,
  ],
  [
    "naming a consolidated account's contact, a member account's project → visible",
    async () => {
      const group = await consolidatedGroup();
      const me = await contact(group.parent);
      return { request: await documentRequest(projectOwner(group.memberA, group.projectA), [me]), contact: me };
    },
    true,
  ],
  [
    "another account's request naming the contact → invisible",
    async () => {
      const me = await contact(await account());
      return { request: await documentRequest(await ownerAt('project', await account()), [me]), contact: me };
    },
    false,
  ],
  [
    'naming the contact, access disabled → invisible',
    async () => {
      const acc = await account();
      const me = await contact(acc, { status: 'disabled' });
      return { request: await documentRequest(await ownerAt('project', acc), [me]), contact: me };
    },
    false,
  ],
];

describe('document request visibility', () => {
  it.each(requestCases)('%s', async (_name, arrange, visible) => {
    const { contact: contactId, request } = await arrange();
    const meta = asContact(contactId);
    const page = await portal.call('documents.listPortalDocumentRequests', { limit: 100 }, meta);
    expect(page.items.map((item) => item.id).includes(request)).toBe(visible);
    if (visible) {
      const read = await portal.call('documents.getPortalDocumentRequest', { requestId: request }, meta);
      expect(read.id).toBe(request);
    } else {
      const error = await portal.failure('documents.getPortalDocumentRequest', { requestId: request }, meta);
      expect(error).toMatchObject({ code: 404, type: 'DOCUMENT_REQUEST_NOT_FOUND' });
    }
  });

  it('a cancelled request naming the contact leaves the open list but stays readable under its status', async () => {
    const acc = await account();
    const me = await contact(acc);
    const request = await documentRequest(await ownerAt('project', acc), [me], { status: 'cancelled' });
    const open = await portal.call('documents.listPortalDocumentRequests', {}, asContact(me));
    expect(open.items).toEqual([]);
    const cancelled = await portal.call('documents.listPortalDocumentRequests', { status: 'cancelled' }, asContact(me));
    expect(cancelled.items.map((item) => item.id)).toEqual([request]);
  });
});

// ---- narrowing to one owner, and paging --------------------------------------------------------

describe('listPortalDocuments narrowed to an owner', () => {
  it.each([
    [
      'a hidden project',
      async (acc: string) => ({ ownerKind: 'project' as const, ownerId: await project(acc, { hidden: true }) }),
    ],
    [
      'a completed project',
      async (acc: string) => ({ ownerKind: 'project' as const, ownerId: await project(acc, { completed: true }) }),
    ],
    [
      "another account's project",
      async () => ({ ownerKind: 'project' as const, ownerId: await project(await account()) }),
    ],
    ["another account's site", async () => ({ ownerKind: 'site' as const, ownerId: await site(await account()) })],
    ['another account', async () => ({ ownerKind: 'account' as const, ownerId: await account() })],
    [
      'an archived site',
      async (acc: string) => ({ ownerKind: 'site' as const, ownerId: await site(acc, { archived: true }) }),
    ],
    [
      'a visible project named as a site',
      async (acc: string) => ({ ownerKind: 'site' as const, ownerId: await project(acc, { siteId: await site(acc) }) }),
    ],
    ['an id that is nothing', async () => ({ ownerKind: 'project' as const, ownerId: randomUUID() })],
    ['an id without a kind, of another account', async () => ({ ownerId: await account() })],
  ])('%s → 404 OWNER_NOT_FOUND', async (_name, narrowTo) => {
    const acc = await account();
    const me = await contact(acc);
    const error = await portal.failure('documents.listPortalDocuments', await narrowTo(acc), asContact(me));
    expect(error).toMatchObject({ code: 404, type: 'OWNER_NOT_FOUND' });
  });

  it.each([
    [
      'its own account, to a selected-scope contact',
      async (acc: string) => await contact(acc, { selected: { sites: [await site(acc)] } }),
    ],
    ['its own account, to a site-level contact', async (acc: string) => contact(acc, { siteId: await site(acc) })],
  ])('the account-level owner of %s → 404 OWNER_NOT_FOUND', async (_name, contactOf) => {
    const acc = await account();
    await document(accountOwner(acc));
    const error = await portal.failure(
      'documents.listPortalDocuments',
      { ownerKind: 'account', ownerId: acc },
      asContact(await contactOf(acc)),
    );
    expect(error).toMatchObject({ code: 404, type: 'OWNER_NOT_FOUND' });
  });

  it("a site of a selected project is not an owner the contact sees (its documents' owner) → 404", async () => {
    const acc = await account();
    const siteId = await site(acc);
    const me = await contact(acc, { selected: { projects: [await project(acc, { siteId })] } });
    const error = await portal.failure(
      'documents.listPortalDocuments',
      { ownerKind: 'site', ownerId: siteId },
      asContact(me),
    );
    expect(error).toMatchObject({ code: 404, type: 'OWNER_NOT_FOUND' });
  });

  it.each(ownerKinds)('a visible %s-level owner → exactly its visible documents', async (kind) => {
    const acc = await account();
    const siteId = await site(acc);
    const projectA = await project(acc, { siteId });
    const projectB = await project(acc, { siteId });
    const owners: Record<DocumentOwnerKind, Owner> = {
      account: accountOwner(acc),
      site: siteOwner(acc, siteId),
      project: projectOwner(acc, projectA),
    };
    const me = await contact(acc);
    const expected: string[] = [];
    for (const owner of [...Object.values(owners), projectOwner(acc, projectB)]) {
      const visible = await document(owner);
      await document(owner, { sharing: 'internal' });
      await document(owner, { customerVisibleType: false });
      if (owner === owners[kind]) expected.push(visible.id);
    }
    const narrowed = { ownerKind: kind, ownerId: owners[kind].id };
    const page = await portal.call('documents.listPortalDocuments', narrowed, asContact(me));
    expect(page.items.map((item) => item.id)).toEqual(expected);
    expect(page.items.every((item) => item.owner.kind === kind && item.owner.id === owners[kind].id)).toBe(true);
    // The id alone narrows the same way.
    const byId = await portal.call('documents.listPortalDocuments', { ownerId: owners[kind].id }, asContact(me));
    expect(byId.items.map((item) => item.id)).toEqual(expected);
  });
});

describe('listPortalDocuments keyset pages', () => {
  it('gives each of ~30 visible documents exactly once, in title order, skipping the invisible ones', async () => {
    const acc = await account();
    const siteId = await site(acc);
    const owners = [accountOwner(acc), siteOwner(acc, siteId), projectOwner(acc, await project(acc, { siteId }))];
    const me = await contact(acc);
    const expected: { id: string; key: string }[] = [];
    for (let n = 1; n <= 30; n += 1) {
      // Mixed case sorts case-blind; two documents share each of some titles, ordered by id.
      const title = `${n % 2 ? 'report' : 'REPORT'} ${String(n % 27).padStart(2, '0')}`;
      const owner = owners[n % owners.length] as Owner;
      const visible = await document(owner, { title });
      expected.push({ id: visible.id, key: title.toLowerCase() });
      // Invisible neighbours with the same titles must never take a visible one's place.
      await document(owner, { title, sharing: 'internal' });
      if (n % 5 === 0) await document(owner, { title, versionState: 'pending' });
      if (n % 7 === 0) await document(projectOwner(acc, await project(acc, { hidden: true })), { title });
    }
    expected.sort((a, b) => (a.key === b.key ? (a.id < b.id ? -1 : 1) : a.key < b.key ? -1 : 1));

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await portal.call(
        'documents.listPortalDocuments',
        { limit: 7, ...(cursor ? { cursor } : {}) },
        asContact(me),
      );
      seen.push(...page.items.map((item) => item.id));
      pages += 1;
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages < 20);

    expect(seen).toEqual(expected.map((row) => row.id));
    expect(new Set(seen).size).toBe(30);
    expect(pages).toBe(5);
  });
});
