import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionContracts, type HttpBinding } from '@portal/contracts';
import { apiClient, type ApiClient } from '@portal/testing';
import { undocumentedErrors } from '../support/documented-errors.ts';
import { startServices, tokenFor, type SystemUnderTest } from './support/system-under-test.ts';

type JsonSchema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
};

interface Answer {
  status: number;
  body: { error?: { code: string; details?: { path: string; message: string }[] } } & Record<string, unknown>;
}

/** What no text field may hold: NUL, a lone surrogate, an escape sequence. */
const badTexts = ['nul \u0000 name', 'bad \ud800 name', 'ansi \u001b[31m name'];

const acceptsFreeText = (schema: JsonSchema): boolean =>
  (schema.type === 'string' && !schema.format && !schema.enum) || (schema.anyOf ?? []).some(acceptsFreeText);

/**
 * Every place a client can put a string in a body: `[path, schema]` with dotted paths, walking
 * into nested objects and the first element of arrays of objects (as zod reports them).
 */
function stringFieldsOf(schema: JsonSchema, prefix: string[] = []): { path: string[] }[] {
  const objectSchema = schema.anyOf?.find((member) => member.properties) ?? schema;
  return Object.entries(objectSchema.properties ?? {}).flatMap(([name, property]) => {
    const path = [...prefix, name];
    const arrayItems = (property.anyOf?.find((member) => member.items) ?? property).items;
    if (arrayItems?.properties) return stringFieldsOf(arrayItems, [...path, '0']);
    if (property.properties || property.anyOf?.some((member) => member.properties)) {
      return stringFieldsOf(property, path);
    }
    return acceptsFreeText(property) ? [{ path }] : [];
  });
}

/** `{ a: { b: value } }` for the path `['a', 'b']`; array indexes make arrays. */
function bodyWith(path: string[], value: string): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  const inner = bodyWith(rest, value);
  return /^\d+$/.test(head) ? [inner] : { [head]: inner };
}

const jsonRoutes = Object.entries(actionContracts).flatMap(([action, contract]) => {
  const binding = 'http' in contract ? (contract.http as HttpBinding | undefined) : undefined;
  // Staff and public routes; the portal's are enumerated with a contact's token in portal-api.test.ts.
  return binding && binding.audience !== 'portal' && binding.body !== 'csv' && binding.response !== 'csv'
    ? [{ action, binding, input: z.toJSONSchema(contract.params, { io: 'input', unrepresentable: 'any' }) }]
    : [];
});

// DESIGN rule 5 end to end: NUL bytes, lone surrogates and control characters in any text field,
// query parameter or CSV cell of the staff API answer 400 with the field's path, never 5xx.
describe('bad text in the staff API', () => {
  let system: SystemUnderTest;
  let token = '';
  let client: ApiClient;
  const ids: Record<string, string> = {};

  async function api(method: string, path: string, body?: unknown, contentType?: string): Promise<Answer> {
    return client.request<Answer['body']>(method, path, {
      body,
      ...(contentType ? { contentType } : { contentType: 'application/json' }),
    });
  }

  const pathOf = (binding: HttpBinding) =>
    binding.path.replace(/:(\w+)/g, (_, name: string) => {
      const id = ids[name];
      if (!id) throw new Error(`no test id for path parameter :${name}: seed one in beforeAll`);
      return id;
    });

  beforeAll(async () => {
    system = await startServices(['identity', 'directory', 'documents', 'submittals', 'notifications', 'gateway']);
    token = await tokenFor('staffAdmin');
    client = apiClient(system.gatewayUrl, () => token);
    const run = randomUUID().slice(0, 6).toUpperCase();
    const made = async (path: string, body: unknown) => {
      const answer = await api('POST', path, body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return String(answer.body.id);
    };
    ids.accountClassId = await made('/admin/account-classes', { name: `Bad input ${run}` });
    ids.accountId = await made('/admin/accounts', { number: `BAD-${run}`, name: `Bad input ${run}` });
    ids.siteId = await made(`/admin/accounts/${ids.accountId}/sites`, { code: 'S1', name: 'Site' });
    ids.projectId = await made(`/admin/accounts/${ids.accountId}/projects`, { code: 'P1', name: 'Project' });
    ids.contactId = await made(`/admin/accounts/${ids.accountId}/contacts`, { firstName: 'Ann', lastName: 'Lee' });
    ids.fileTypeId = await made('/admin/file-types', {
      code: `bad-input-${run.toLowerCase()}`,
      name: `Bad input ${run}`,
      allowedContentTypes: ['application/pdf'],
      maxSizeBytes: 1000,
    });
    ids.documentId = await made('/admin/documents', {
      owner: { kind: 'project', id: ids.projectId },
      title: 'Bad input',
      fileTypeId: ids.fileTypeId,
    });
    // Bodies are checked before any lookup: these routes only need an id of the right shape.
    ids.versionId = randomUUID();
    ids.uploadId = randomUUID();
    ids.submittalId = randomUUID();
    ids.incomingSubmittalId = randomUUID();
    const upload = await api(
      'POST',
      '/admin/contact-imports',
      `account_number,site_code,first_name,last_name,email,phone,title\nBAD-${run},,Zoe,Nul\u0000,zoe@bad.test,,\nBAD-${run},,Ok,Row,ok@bad.test,,\n`,
      'text/csv',
    );
    expect(upload.status).toBe(202);
    ids.importId = String(upload.body.id);
    // An access request in the staff queue, through the login page's form with its option on.
    expect((await api('PUT', '/admin/system-options', { requestLoginButton: true })).status).toBe(200);
    const requester = `requester.${run.toLowerCase()}@bad.test`;
    const form = { name: 'Bad Input', email: requester, company: 'Bad input' };
    expect((await api('POST', '/public/access-requests', form)).status).toBe(202);
    const queue = await api('GET', '/admin/access-requests?limit=100');
    const request = (queue.body.items as { id: string; email: string }[]).find((item) => item.email === requester);
    ids.requestId = String(request?.id);
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('answers the reported inputs with 400, a stable code and the field path', async () => {
    const search = await api('GET', '/admin/accounts?search=%00');
    expect(search.status).toBe(400);
    expect(search.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'search', message: 'must not contain NUL characters' }],
    });
    const surrogate = await api('PATCH', `/admin/accounts/${ids.accountId}`, '{"name":"bad \\ud800 name"}');
    expect(surrogate.status).toBe(400);
    expect(surrogate.body.error?.details).toEqual([
      { path: 'name', message: 'must be valid Unicode (no lone surrogates)' },
    ]);
    const nul = await api('PATCH', `/admin/accounts/${ids.accountId}`, '{"name":"nul \\u0000 name"}');
    expect(nul.status).toBe(400);
    expect(nul.body.error?.details).toEqual([{ path: 'name', message: 'must not contain NUL characters' }]);
    // Nothing was half-written: the account keeps its name.
    const account = await api('GET', `/admin/accounts/${ids.accountId}`);
    expect(account.body.name).toMatch(/^Bad input /);
  });

  it.each(jsonRoutes.filter(({ binding }) => binding.method !== 'GET' && binding.method !== 'DELETE'))(
    'refuses bad text in every body field of $action',
    async ({ binding, input }) => {
      const fields = stringFieldsOf(input as JsonSchema).filter(({ path }) => !binding.path.includes(`:${path[0]}`));
      for (const { path } of fields) {
        for (const bad of badTexts) {
          const answer = await api(binding.method, pathOf(binding), bodyWith(path, bad));
          expect(answer.status, `${path.join('.')} = ${JSON.stringify(bad)}`).toBe(400);
          expect(answer.body.error?.details?.map((issue) => issue.path)).toContain(path.join('.'));
        }
      }
    },
  );

  it.each(jsonRoutes.filter(({ binding }) => binding.method === 'GET'))(
    'refuses bad text in every query parameter of $action',
    async ({ binding, input }) => {
      const names = stringFieldsOf(input as JsonSchema)
        .map(({ path }) => path.join('.'))
        .filter((name) => !binding.path.includes(`:${name}`));
      for (const name of names) {
        for (const bad of ['%00', '%1B', 'a%00b']) {
          const answer = await api('GET', `${pathOf(binding)}?${name}=${bad}`);
          expect(answer.status, `${name}=${bad}`).toBe(400);
          expect(answer.body.error?.details?.map((issue) => issue.path)).toContain(name);
        }
      }
    },
  );

  it('reports a CSV cell with a NUL byte on its row and imports the others', async () => {
    let job: Answer['body'] = {};
    for (let attempt = 0; attempt < 100; attempt++) {
      job = (await api('GET', `/admin/contact-imports/${ids.importId}`)).body;
      if (job.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(job).toMatchObject({
      status: 'completed',
      created: 1,
      rejected: 1,
      errors: [{ line: 2, messages: ['last_name: must not contain NUL characters'] }],
    });
  });

  it('never answered 5xx, nor an error its OpenAPI document does not list', async () => {
    expect(client.answered.length).toBeGreaterThan(50);
    expect(client.answered.filter((entry) => entry.status >= 500)).toEqual([]);
    const document = (await client.request('GET', '/openapi.json')).body;
    expect(undocumentedErrors(document as never, client.answered)).toEqual([]);
  });
});
