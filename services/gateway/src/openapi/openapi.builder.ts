import { actionContracts, errorBodySchema, type ActionContract, type HttpBinding } from '@portal/contracts';
import { hoistDefs, toJsonSchema, type JsonSchema } from '../json-schema.ts';
import { pathParamNames, readsQuery } from '../http/request-params.ts';

type OpenApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, unknown>> };

/** The error answers an operation may give, each a shared response with the `ErrorBody` schema. */
const errorResponses = {
  400: ['BadRequest', 'The request is not valid (stable `code`, field `details`).'],
  401: ['Unauthenticated', 'No valid bearer token.'],
  403: ['Forbidden', 'The caller’s role lacks the required permission.'],
  404: ['NotFound', 'No such resource (or outside the caller’s scope).'],
  409: ['Conflict', 'The change conflicts with existing data (e.g. a duplicate).'],
  413: ['PayloadTooLarge', 'The request body is over the size limit.'],
  415: ['UnsupportedMediaType', 'The request body has the wrong content type.'],
  422: ['RuleViolation', 'The change breaks a business rule.'],
  429: ['RateLimited', 'Too many requests; see `Retry-After`.'],
  503: ['Unavailable', 'A dependency is down; try again shortly.'],
} as const;
type ErrorStatus = keyof typeof errorResponses;

/** Which errors an operation documents: every one can be refused, writes can conflict, bodies can be wrong. */
function errorStatusesOf(binding: HttpBinding): ErrorStatus[] {
  const statuses: ErrorStatus[] = [400, 401, 403, 404, 429, 503];
  if (binding.method !== 'GET') statuses.push(409, 422);
  if (!readsQuery(binding.method)) statuses.push(413, 415);
  return statuses.sort((a, b) => a - b);
}

export interface OpenApiOptions {
  version: string;
  contracts?: Readonly<Record<string, ActionContract>>;
}

/**
 * The OpenAPI 3.1 document of the REST API, built from the same zod contracts that validate the
 * requests: inputs as clients send them (`io: 'input'`, defaults optional), results as services
 * answer them (`io: 'output'`). Streams have no JSON Schema and become `{}`.
 */
export function buildOpenApiDocument(options: OpenApiOptions): OpenApiDocument {
  const contracts = options.contracts ?? actionContracts;
  const components = {
    schemas: { ErrorBody: toJsonSchema(errorBodySchema, 'output') } as Record<string, JsonSchema>,
    responses: Object.fromEntries(
      Object.values(errorResponses).map(([name, description]) => [
        name,
        { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } },
      ]),
    ),
    securitySchemes: {
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'An access token from Keycloak: realm `staff` for `/admin` operations. Each operation names the permission it needs in `x-required-permission`.',
      },
    },
  };

  const paths: OpenApiDocument['paths'] = {};
  const tags = new Set<string>();
  for (const [action, contract] of Object.entries(contracts)) {
    const binding = contract.http;
    if (!binding) continue;
    tags.add(binding.tag);
    const path = binding.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const operations = (paths[path] ??= {});
    operations[binding.method.toLowerCase()] = operationOf(action, contract, binding, components.schemas);
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Customer Portal API',
      version: options.version,
      description:
        'Staff (`/admin`) REST API of the customer portal. Errors are `{ "error": { "code", "message", "details"? }, "requestId" }`. ' +
        'The durable events the services publish on NATS JetStream are described by the AsyncAPI 3.0 document at `/api/v1/asyncapi.json`.',
    },
    servers: [{ url: '/api/v1' }],
    tags: [...tags].sort().map((name) => ({ name })),
    paths,
    components,
  };
}

function operationOf(
  action: string,
  contract: ActionContract,
  binding: HttpBinding,
  sharedSchemas: Record<string, JsonSchema>,
): Record<string, unknown> {
  const prefix = action.replace(/\./g, '_');
  const input = hoistDefs(toJsonSchema(contract.params, 'input'), sharedSchemas, (name) => `${prefix}_params_${name}`);
  const properties = (input.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((input.required ?? []) as string[]);
  const inPath = pathParamNames(binding.path);

  const parameters: Record<string, unknown>[] = inPath.map((name) => {
    const schema = properties[name];
    if (!schema) throw new Error(`${action}: path parameter :${name} is not among the action's params`);
    return { name, in: 'path', required: true, schema };
  });
  if (readsQuery(binding.method)) {
    for (const [name, schema] of Object.entries(properties)) {
      if (inPath.includes(name)) continue;
      const { description, ...rest } = schema;
      parameters.push({
        name,
        in: 'query',
        required: required.has(name),
        ...(typeof description === 'string' ? { description } : {}),
        schema: rest,
      });
    }
  }

  const operation: Record<string, unknown> = {
    operationId: action,
    tags: [binding.tag],
    summary: binding.summary,
    description: contract.description,
    security: [{ bearerAuth: [] }],
    'x-required-permission': binding.permission,
    ...(parameters.length > 0 ? { parameters } : {}),
  };

  if (binding.body === 'csv') {
    operation.requestBody = {
      required: true,
      content: { 'text/csv': { schema: { type: 'string', contentMediaType: 'text/csv' } } },
    };
  } else if (!readsQuery(binding.method)) {
    const bodyProperties = Object.fromEntries(Object.entries(properties).filter(([name]) => !inPath.includes(name)));
    const bodyRequired = [...required].filter((name) => !inPath.includes(name));
    const schema: JsonSchema = { ...input, properties: bodyProperties };
    if (bodyRequired.length > 0) schema.required = bodyRequired;
    else delete schema.required;
    operation.requestBody = { required: bodyRequired.length > 0, content: { 'application/json': { schema } } };
  }

  const status = String(binding.successStatus ?? 200);
  const success: Record<string, unknown> = { description: binding.summary };
  if (binding.response === 'csv') {
    success.content = { 'text/csv': { schema: { type: 'string', contentMediaType: 'text/csv' } } };
    success.headers = {
      'Content-Disposition': { description: 'attachment; filename="…csv"', schema: { type: 'string' } },
    };
  } else if (status !== '204') {
    const schema = hoistDefs(
      toJsonSchema(contract.result, 'output'),
      sharedSchemas,
      (name) => `${prefix}_result_${name}`,
    );
    success.content = { 'application/json': { schema } };
  }
  operation.responses = {
    [status]: success,
    ...Object.fromEntries(
      errorStatusesOf(binding).map((code) => [
        String(code),
        { $ref: `#/components/responses/${errorResponses[code][0]}` },
      ]),
    ),
  };
  return operation;
}
