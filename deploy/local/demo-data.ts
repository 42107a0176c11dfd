// Demo data for `npm start`, created through the staff REST API with the seeded admin login, the
// same way an integrator would. Skipped when the demo account already exists.
import { devAccessToken, devLogins } from './dev-logins.ts';

interface Created {
  id: string;
}

export interface DemoSummary {
  created: boolean;
  accounts: number;
  sites: number;
  projects: number;
  contacts: number;
  documents: number;
  /** A contact whose portal access staff enabled through the API, with the password generated at this start. */
  portalLogin: { email: string; password: string };
}

/** The demo's portal contact: Greta of the Northwind group (consolidated, no MFA), who sees both member accounts. */
const demoPortalEmail = 'greta@northwind.test';

export async function seedDemoData(options: { gatewayUrl: string; keycloakUrl: string }): Promise<DemoSummary> {
  const token = await devAccessToken(options.keycloakUrl, 'staffAdmin');
  const api: Api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${options.gatewayUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok)
      throw new Error(`demo data: ${method} ${path} answered ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  // Portal access the way staff give it: enabled with a generated password, shown once. The
  // password is not kept anywhere, so every start generates a new one (a reset) and prints it.
  const demoPortalLogin = async () => {
    const groups = await api<{ items: { id: string; number: string }[] }>('GET', '/admin/accounts?search=NWG');
    const group = groups.items.find((account) => account.number === 'NWG');
    const contacts = await api<{ items: { id: string; email: string | null; access: { status: string } }[] }>(
      'GET',
      `/admin/accounts/${group?.id}/contacts?search=${encodeURIComponent(demoPortalEmail)}`,
    );
    const greta = contacts.items.find((contact) => contact.email === demoPortalEmail);
    if (!greta) throw new Error(`demo data: the contact ${demoPortalEmail} is missing`);
    const path = `/admin/contacts/${greta.id}/access`;
    const answer =
      greta.access.status === 'enabled'
        ? await api<{ credentials: { password: string } | null }>('POST', `${path}/password-reset`, {
            delivery: 'generated',
          })
        : await api<{ credentials: { password: string } }>('POST', `${path}/enable`, {});
    if (!answer.credentials) throw new Error('demo data: no generated password came back');
    return { email: demoPortalEmail, password: answer.credentials.password };
  };

  const existing = await api<{ items: { number: string }[] }>('GET', '/admin/accounts?search=ACME');
  if (existing.items.some((account) => account.number === 'ACME')) {
    return {
      created: false,
      accounts: 0,
      sites: 0,
      projects: 0,
      contacts: 0,
      documents: await seedDemoDocuments(api),
      portalLogin: await demoPortalLogin(),
    };
  }

  const keyAccounts = await api<Created>('POST', '/admin/account-classes', {
    name: 'Key accounts',
    description: 'Invoice-verified self-registration, MFA required.',
    autoSendInvite: false,
    allowSelfRegistration: true,
    requireMfa: true,
  });
  const standard = await api<Created>('POST', '/admin/account-classes', { name: 'Standard', autoSendInvite: true });

  const acme = await api<Created>('POST', '/admin/accounts', {
    number: 'ACME',
    name: 'ACME Industrial',
    classId: keyAccounts.id,
  });
  const group = await api<Created>('POST', '/admin/accounts', {
    number: 'NWG',
    name: 'Northwind Group',
    kind: 'consolidated',
  });
  const berlin = await api<Created>('POST', '/admin/accounts', {
    number: 'NW-BER',
    name: 'Northwind Berlin',
    classId: standard.id,
    consolidatedAccountId: group.id,
  });
  const hamburg = await api<Created>('POST', '/admin/accounts', {
    number: 'NW-HAM',
    name: 'Northwind Hamburg',
    classId: standard.id,
    consolidatedAccountId: group.id,
  });

  const essen = await api<Created>('POST', `/admin/accounts/${acme.id}/sites`, {
    code: 'ESS',
    name: 'Plant Essen',
    address: { line1: 'Industriestraße 4', city: 'Essen', postalCode: '45127', country: 'DE' },
  });
  const leipzig = await api<Created>('POST', `/admin/accounts/${acme.id}/sites`, {
    code: 'LEI',
    name: 'Plant Leipzig',
  });
  const projects = [
    [acme.id, { code: 'L4-RETRO', name: 'Line 4 retrofit', siteId: essen.id }],
    [acme.id, { code: 'COOL-T', name: 'Cooling tower', siteId: leipzig.id, completed: true }],
    [acme.id, { code: 'WH-AUTO', name: 'Warehouse automation', hidden: true }],
    [berlin.id, { code: 'FIT-OUT', name: 'Office fit-out' }],
    [hamburg.id, { code: 'DOCK-2', name: 'Dock 2 extension' }],
  ] as const;
  for (const [accountId, project] of projects) await api('POST', `/admin/accounts/${accountId}/projects`, project);

  const contacts = [
    [
      acme.id,
      { firstName: 'Cora', lastName: 'Contact', email: devLogins.customerContact.email, title: 'Project engineer' },
    ],
    [
      acme.id,
      {
        firstName: 'Emil',
        lastName: 'Essen',
        email: 'emil.essen@acme.test',
        siteId: essen.id,
        phone: '+49 201 555 0100',
      },
    ],
    [group.id, { firstName: 'Greta', lastName: 'Group', email: demoPortalEmail, title: 'Purchasing' }],
    [berlin.id, { firstName: 'Bernd', lastName: 'Berlin', email: 'bernd@northwind.test' }],
  ] as const;
  for (const [accountId, contact] of contacts) await api('POST', `/admin/accounts/${accountId}/contacts`, contact);

  const invoiceImport = await api<{ id: string; status: string }>('POST', '/admin/invoice-references/import', {
    items: [
      {
        number: 'INV-2026-0001',
        accountNumber: 'ACME',
        quickPayCode: 'QP-7731',
        amount: '12500.00',
        currency: 'EUR',
        issuedAt: '2026-10-01',
      },
      { number: 'INV-2026-0002', accountNumber: 'NW-BER', amount: '830.50', currency: 'EUR', issuedAt: '2026-10-15' },
    ],
  });
  // The import runs as a job (202): wait for it, so the demo can log in with an invoice right away.
  for (let job = invoiceImport; job.status !== 'completed';) {
    if (job.status === 'failed') throw new Error(`demo data: invoice reference import failed: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    job = await api('GET', `/admin/invoice-references/imports/${invoiceImport.id}`);
  }
  await api('PUT', '/admin/system-options', { requestLoginButton: true, selfRegistration: true });

  return {
    created: true,
    accounts: 4,
    sites: 2,
    projects: projects.length,
    contacts: contacts.length,
    documents: await seedDemoDocuments(api),
    portalLogin: await demoPortalLogin(),
  };
}

type Api = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/**
 * Documents the way staff publish them: a document, a presigned PUT straight to the object store,
 * finalize (checked and scanned); and a document request to Greta. Seeded once, also into a demo
 * made before documents existed. Answers how many documents it published.
 */
async function seedDemoDocuments(api: Api): Promise<number> {
  const projectOf = async (accountNumber: string, code: string) => {
    const accounts = await api<{ items: { id: string; number: string }[] }>(
      'GET',
      `/admin/accounts?search=${accountNumber}`,
    );
    const account = accounts.items.find((item) => item.number === accountNumber);
    const projects = await api<{ items: { id: string; code: string }[] }>(
      'GET',
      `/admin/accounts/${account?.id}/projects?search=${code}&includeArchived=true`,
    );
    const project = projects.items.find((item) => item.code === code);
    if (!account || !project) throw new Error(`demo data: project ${accountNumber}/${code} is missing`);
    return { accountId: account.id, projectId: project.id };
  };
  const fitOut = await projectOf('NW-BER', 'FIT-OUT');
  const existing = await api<{ items: unknown[] }>('GET', `/admin/documents?accountId=${fitOut.accountId}&limit=1`);
  if (existing.items.length > 0) return 0;

  const fileTypes = await api<{ items: { id: string; code: string }[] }>('GET', '/admin/file-types?limit=100');
  const fileTypeId = (code: string) => fileTypes.items.find((type) => type.code === code)?.id ?? '';
  const publish = async (projectId: string, title: string, fileName: string, fileType: string) => {
    const document = await api<Created>('POST', '/admin/documents', {
      owner: { kind: 'project', id: projectId },
      title,
      fileTypeId: fileTypeId(fileType),
    });
    const bytes = Buffer.from(
      `%PDF-1.7\n% ${title}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    );
    const ticket = await api<{ uploadId: string; url: string; headers: Record<string, string> }>(
      'POST',
      `/admin/documents/${document.id}/uploads`,
      { fileName, contentType: 'application/pdf', sizeBytes: bytes.length },
    );
    const put = await fetch(ticket.url, { method: 'PUT', headers: ticket.headers, body: bytes });
    if (!put.ok) throw new Error(`demo data: the object store refused ${fileName}: ${put.status}`);
    await api('POST', `/admin/documents/${document.id}/uploads/${ticket.uploadId}/finalize`, {});
  };
  const dock = await projectOf('NW-HAM', 'DOCK-2');
  const line4 = await projectOf('ACME', 'L4-RETRO');
  await publish(fitOut.projectId, 'Floor plan, level 3', 'floor-plan-L3.pdf', 'drawing');
  await publish(fitOut.projectId, 'Acoustic panels datasheet', 'acoustic-panels.pdf', 'datasheet');
  await publish(dock.projectId, 'Dock leveller drawing', 'dock-leveller.pdf', 'drawing');
  await publish(line4.projectId, 'Line 4 layout', 'line4-layout.pdf', 'drawing');

  const groups = await api<{ items: { id: string; number: string }[] }>('GET', '/admin/accounts?search=NWG');
  const group = groups.items.find((account) => account.number === 'NWG');
  const contacts = await api<{ items: { id: string; email: string | null }[] }>(
    'GET',
    `/admin/accounts/${group?.id}/contacts?search=${encodeURIComponent(demoPortalEmail)}`,
  );
  const greta = contacts.items.find((contact) => contact.email === demoPortalEmail);
  if (!greta) throw new Error(`demo data: the contact ${demoPortalEmail} is missing`);
  await api('POST', '/admin/document-requests', {
    owner: { kind: 'project', id: fitOut.projectId },
    title: 'Signed delivery note',
    instructions: 'Please sign the delivery note of the first shipment and upload it as a PDF.',
    fileTypeId: fileTypeId('customer-file'),
    requestedFromContactIds: [greta.id],
    dueDate: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10),
  });
  return 4;
}
