import {
  actionContracts,
  errorBodySchema,
  errorSpecOf,
  httpStatusOfErrorKind,
  type ActionContract,
  type ErrorCode,
  type HttpAudience,
  type HttpBinding,
} from '@portal/contracts';
import { hoistDefs, toJsonSchema, type JsonSchema } from '../json-schema.ts';
import { pathParamNames, readsQuery } from '../http/request-params.ts';

type OpenApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, unknown>> };

/**
 * What the gateway answers before an audience's action runs: a staff route checks the token and
 * the role's permission, a portal route the token and that its contact has enabled access, a
 * public route only limits the client's address. Every route is rate-limited.
 */
const audienceEdgeErrors: Record<HttpAudience, ErrorCode[]> = {
  staff: ['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED'],
  portal: ['UNAUTHENTICATED', 'PORTAL_ACCESS_DISABLED', 'RATE_LIMITED'],
  public: ['RATE_LIMITED'],
};

/** How each audience authenticates: the security scheme its operations name (none for public). */
const audienceSecurity: Record<HttpAudience, Record<string, string[]>[]> = {
  staff: [{ staffBearer: [] }],
  portal: [{ portalBearer: [] }],
  public: [],
};

/**
 * The codes every operation may answer besides its action's own: the gateway's edge for its
 * audience (token, role or access, rate limit, body) and the common ones (validation, cursors,
 * values PostgreSQL refuses, a service that is down). Kept beside the code that answers them.
 */
function edgeErrorsOf(binding: HttpBinding, paramNames: readonly string[]): ErrorCode[] {
  const codes: ErrorCode[] = ['VALIDATION_FAILED', 'INVALID_VALUE', ...audienceEdgeErrors[binding.audience]];
  codes.push('DEPENDENCY_UNAVAILABLE');
  if (pathParamNames(binding.path).length > 0) codes.push('INVALID_PATH');
  if (paramNames.includes('cursor')) codes.push('INVALID_CURSOR');
  if (!readsQuery(binding.method)) {
    codes.push('PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
    // A web UI's write, signed in by its session cookie, must be same-origin with the custom header.
    if (binding.audience !== 'public') codes.push('CSRF_REFUSED');
    if (binding.body !== 'csv') codes.push('INVALID_JSON', 'INVALID_BODY');
  }
  return codes;
}

/** Headers an error status comes with. */
const errorHeaders: Partial<Record<number, Record<string, unknown>>> = {
  401: {
    'WWW-Authenticate': {
      description: 'The bearer challenge (`error="invalid_token"` for a bad token).',
      schema: { type: 'string' },
    },
  },
  429: {
    'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } },
  },
};

/**
 * One response per error status the operation can give, its body the `ErrorBody` with `code`
 * narrowed to the codes of that status, so a client (and the fuzzer) can check them.
 */
function errorResponsesOf(codes: readonly ErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const spec = errorSpecOf(code);
    if (!spec) throw new Error(`Error code ${code} is in no error table`);
    const status = httpStatusOfErrorKind(spec.kind);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([status, statusCodes]) => {
        const sorted = [...statusCodes].sort();
        const headers = errorHeaders[status];
        return [
          String(status),
          {
            description: sorted.map((code) => `\`${code}\`: ${errorSpecOf(code)?.message}`).join('<br>'),
            ...(headers ? { headers } : {}),
            content: {
              'application/json': {
                schema: {
                  allOf: [
                    { $ref: '#/components/schemas/ErrorBody' },
                    {
                      type: 'object',
                      properties: { error: { type: 'object', properties: { code: { enum: sorted } } } },
                    },
                  ],
                },
              },
            },
          },
        ];
      }),
  );
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
    securitySchemes: {
      staffBearer: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'A staff access token from Keycloak realm `staff` (audience `staff-api`, issued to an allowed client), for `/admin` operations. ' +
          'Each operation names the permission it needs in `x-required-permission`. A portal token is refused (401). ' +
          'The admin web UI reaches the same operations with its session cookie instead (no `Authorization` header); ' +
          'then a write also needs `X-Requested-By: customer-portal-web` and a same-origin `Origin`, else 403 `CSRF_REFUSED`.',
      },
      portalBearer: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'A contact’s access token from Keycloak realm `portal` (audience `portal-api`, issued to an allowed client), for `/portal` operations. ' +
          'The contact is taken from the token; its portal access must be enabled (else 403 `PORTAL_ACCESS_DISABLED`). A staff token is refused (401). ' +
          'The portal web UI uses its session cookie instead, with the same CSRF rule for writes (403 `CSRF_REFUSED`).',
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
        'REST API of the customer portal: staff operations under `/admin` (realm `staff` tokens), the signed-in contact’s under `/portal` ' +
        '(realm `portal` tokens; ids of anything outside the contact’s reach answer 404 exactly like missing ones), and the login page’s forms under `/public` (no token, limited per client address). Errors are `{ "error": { "code", "message", "details"? }, "requestId" }`. ' +
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
    security: audienceSecurity[binding.audience],
    ...(binding.audience === 'staff' ? { 'x-required-permission': binding.permission } : {}),
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
    // The gateway refuses fields the action does not know (a typo must not be silently dropped).
    const schema: JsonSchema = { ...input, properties: bodyProperties, additionalProperties: false };
    if (bodyRequired.length > 0) schema.required = bodyRequired;
    else delete schema.required;
    const content: Record<string, unknown> = { 'application/json': { schema } };
    if (binding.body === 'one-click') {
      content['application/x-www-form-urlencoded'] = {
        schema: {
          type: 'object',
          properties: { 'List-Unsubscribe': { const: 'One-Click' } },
          required: ['List-Unsubscribe'],
          additionalProperties: false,
        },
      };
    }
    operation.requestBody = { required: bodyRequired.length > 0, content };
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
    ...errorResponsesOf([...edgeErrorsOf(binding, Object.keys(properties)), ...(contract.errors ?? [])]),
  };
  return operation;
}
