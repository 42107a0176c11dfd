import { validate, compileErrors } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { actionContracts, errorSpecOf, httpStatusOfErrorKind } from '@portal/contracts';
import { buildOpenApiDocument } from '../../src/openapi/openapi.builder.ts';
import { refsIn, resolveRef } from './document-refs.ts';

type Operation = {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
  security: unknown[];
  'x-required-permission': string;
};

const document = buildOpenApiDocument({ version: '9.9.9' });
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ path, method, operation: operation as Operation })),
);
const httpContracts = Object.entries(actionContracts).flatMap(([action, contract]) =>
  'http' in contract && contract.http ? [{ action, http: contract.http }] : [],
);

function operationOf(path: string, method: string): Operation {
  const operation = document.paths[path]?.[method] as Operation | undefined;
  if (!operation) throw new Error(`no ${method} ${path}`);
  return operation;
}

/** The `code` values an error response of an operation allows. */
function errorCodesAt(operation: Operation, status: string): string[] {
  const response = operation.responses[status] as
    { content?: { 'application/json'?: { schema?: { allOf?: { properties?: unknown }[] } } } } | undefined;
  const narrowed = response?.content?.['application/json']?.schema?.allOf?.[1] as
    { properties: { error: { properties: { code: { enum: string[] } } } } } | undefined;
  return narrowed?.properties.error.properties.code.enum ?? [];
}

function resolve(ref: string): unknown {
  return resolveRef(document, ref);
}

describe('OpenAPI document', () => {
  it('has one operation per HTTP-bound action, at its path and method, with its permission', () => {
    expect(operations.map((entry) => entry.operation.operationId).sort()).toEqual(
      httpContracts.map((entry) => entry.action).sort(),
    );
    for (const { action, http } of httpContracts) {
      const path = http.path.replace(/:(\w+)/g, '{$1}');
      const operation = document.paths[path]?.[http.method.toLowerCase()] as Operation | undefined;
      expect(operation?.operationId, action).toBe(action);
      expect(operation?.['x-required-permission']).toBe(http.audience === 'staff' ? http.permission : undefined);
      expect(operation?.security, action).toEqual(
        { staff: [{ staffBearer: [] }], portal: [{ portalBearer: [] }], public: [] }[http.audience],
      );
      expect(Object.keys(operation?.responses ?? {})).toContain(String(http.successStatus ?? 200));
    }
  });

  it('declares every path parameter, and keeps path parameters out of query and body', () => {
    for (const { path, operation } of operations) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name).sort(), operation.operationId).toEqual([...inPath].sort());
      expect(declared.every((p) => p.required)).toBe(true);
      const query = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const body = Object.keys(operation.requestBody?.content['application/json']?.schema.properties ?? {});
      for (const name of inPath) expect([...query, ...body], operation.operationId).not.toContain(name);
    }
  });

  it('documents query parameters for reads, JSON bodies for writes and CSV where the contract says so', () => {
    const list = document.paths['/admin/accounts/{accountId}/projects']?.get as Operation;
    const hidden = list.parameters?.find((p) => p.name === 'hidden') as { schema?: unknown } | undefined;
    expect(hidden).toMatchObject({ in: 'query', required: false });
    // Query strings carry text: the input schema admits "true"/"false".
    expect(JSON.stringify(hidden?.schema)).toContain('["true","false"]');
    const create = document.paths['/admin/accounts']?.post as Operation;
    expect(create.requestBody?.content['application/json']?.schema.properties).toHaveProperty('number');
    expect(create.responses['201']?.content).toHaveProperty('application/json');
    const upload = document.paths['/admin/contact-imports']?.post as Operation;
    expect(upload.requestBody?.content).toHaveProperty('text/csv');
    const download = document.paths['/admin/contacts/export']?.get as Operation;
    expect(download.responses['200']?.content).toHaveProperty('text/csv');
  });

  it('has a security scheme per token audience, and public operations need none', () => {
    const schemes = (
      document.components as { securitySchemes: Record<string, { scheme: string; description: string }> }
    ).securitySchemes;
    expect(Object.keys(schemes).sort()).toEqual(['portalBearer', 'staffBearer']);
    expect(schemes.staffBearer?.description).toContain('realm `staff`');
    expect(schemes.portalBearer?.description).toContain('realm `portal`');
    expect(operationOf('/portal/projects', 'get').security).toEqual([{ portalBearer: [] }]);
    expect(operationOf('/public/access-requests', 'post').security).toEqual([]);
  });

  it('documents the edge errors each audience can meet: token, role or access, rate limit', () => {
    const edge = (path: string, method: string) =>
      ['401', '403', '429'].map((status) => errorCodesAt(operationOf(path, method), status));
    expect(edge('/admin/accounts', 'get')).toEqual([['UNAUTHENTICATED'], ['FORBIDDEN'], ['RATE_LIMITED']]);
    expect(edge('/portal/projects', 'get')).toEqual([
      ['UNAUTHENTICATED'],
      ['PORTAL_ACCESS_DISABLED'],
      ['RATE_LIMITED'],
    ]);
    // No token, so no 401 and no 403 of the gateway's (a form may add its own 429 code).
    const publicForm = operationOf('/public/access-requests', 'post');
    expect(errorCodesAt(publicForm, '401')).toEqual([]);
    expect(errorCodesAt(publicForm, '429')).toContain('RATE_LIMITED');
    expect(operationOf('/portal/projects', 'get').responses['401']).toHaveProperty('headers.WWW-Authenticate');
    // A portal id outside the contact's reach is the same 404 as a missing one.
    expect(errorCodesAt(operationOf('/portal/projects', 'get'), '404')).toEqual(['ACCOUNT_NOT_FOUND']);
  });

  it('lists, per error status, exactly the codes of that status the operation may answer', () => {
    for (const { operation, path } of operations) {
      const statuses = path.startsWith('/public') ? ['400', '429', '503'] : ['400', '401', '403', '429', '503'];
      for (const status of statuses) {
        expect(errorCodesAt(operation, status), `${operation.operationId} ${status}`).not.toEqual([]);
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        for (const code of errorCodesAt(operation, status)) {
          const spec = errorSpecOf(code);
          expect(spec, code).toBeDefined();
          expect(httpStatusOfErrorKind(spec!.kind), `${operation.operationId} ${code}`).toBe(Number(status));
          expect(JSON.stringify(response), code).toContain(spec!.message.replaceAll('"', '\\"'));
        }
      }
    }
    const getAccount = document.paths['/admin/accounts/{accountId}']?.get as Operation;
    expect(errorCodesAt(getAccount, '404')).toEqual(['ACCOUNT_NOT_FOUND']);
    const createSite = document.paths['/admin/accounts/{accountId}/sites']?.post as Operation;
    expect(errorCodesAt(createSite, '409')).toEqual(['SITE_CODE_TAKEN']);
    expect(errorCodesAt(createSite, '400')).toEqual(
      expect.arrayContaining(['VALIDATION_FAILED', 'INVALID_JSON', 'INVALID_PATH', 'INVALID_VALUE']),
    );
    expect(operationOf('/admin/accounts', 'get').responses['429']).toHaveProperty('headers.Retry-After');
  });

  it('documents CSRF_REFUSED on the writes a web session cookie may make, not on reads or public forms', () => {
    expect(errorCodesAt(operationOf('/admin/accounts', 'post'), '403')).toEqual(['CSRF_REFUSED', 'FORBIDDEN']);
    expect(errorCodesAt(operationOf('/admin/accounts', 'get'), '403')).toEqual(['FORBIDDEN']);
    expect(errorCodesAt(operationOf('/public/access-requests', 'post'), '403')).not.toContain('CSRF_REFUSED');
  });

  it('names in each action contract only codes some error table declares', () => {
    for (const [action, contract] of Object.entries(actionContracts)) {
      for (const code of ('errors' in contract ? contract.errors : []) ?? []) {
        expect(errorSpecOf(code), `${action}: ${code}`).toBeDefined();
      }
    }
  });

  it('refuses unknown body fields in the schema, as the gateway does', () => {
    const patch = operationOf('/admin/accounts/{accountId}', 'patch');
    expect(patch.requestBody?.content['application/json']?.schema).toHaveProperty('additionalProperties', false);
  });

  it('says that DELETE archives (the resource stays readable), except where it really deletes', () => {
    for (const { method, operation } of operations) {
      if (method !== 'delete') continue;
      const description = (operation as { description?: string }).description ?? '';
      expect(description, operation.operationId).toMatch(
        /DELETE never erases|unlike other DELETE routes this removes/i,
      );
    }
  });

  it('resolves every $ref', () => {
    const refs = refsIn(document);
    expect(refs).toContain('#/components/schemas/ErrorBody');
    for (const ref of refs) expect(resolve(ref), ref).toBeDefined();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    // The parser dereferences in place: give it a copy.
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('points integrators at the AsyncAPI document of the events', () => {
    expect((document.info as { description: string }).description).toContain('`/api/v1/asyncapi.json`');
  });
});
