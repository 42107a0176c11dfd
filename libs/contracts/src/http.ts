import { z } from 'zod';

/**
 * What a staff role may do. Roles (Keycloak realm roles in `staff`) map to permissions in one
 * place, the gateway's `staff-permissions.ts`; actions name the permission they need.
 */
export const staffPermissions = [
  'directory:read',
  'directory:write',
  'directory:export',
  'access:write',
  'settings:write',
  'documents:read',
  'documents:write',
  /** Every staff role holds it: anyone signed in reads their own bell. */
  'notifications:read',
  'submittals:read',
  'submittals:write',
] as const;
export type StaffPermission = (typeof staffPermissions)[number];

export const staffRoles = ['portal-admin', 'portal-manager', 'viewer'] as const;
export type StaffRole = (typeof staffRoles)[number];

/** What every HTTP binding says, whoever calls it. */
interface HttpBindingBase {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under `/api/v1`, with `:name` path parameters, e.g. `/admin/accounts/:accountId`. */
  path: string;
  successStatus?: 200 | 201 | 202 | 204;
  /**
   * `csv`: the raw text/csv body arrives as the call's stream, `ctx.stream` (params hold the path params).
   * `one-click`: besides JSON or no body, the RFC 8058 form a mail client POSTs for
   * `List-Unsubscribe-Post` (`application/x-www-form-urlencoded`, `List-Unsubscribe=One-Click`), read as `{}`.
   */
  body?: 'json' | 'csv' | 'one-click';
  /** `csv`: the action answers CSV, a readable stream (or text), sent as a text/csv attachment. */
  response?: 'json' | 'csv';
  tag: string;
  summary: string;
}

/** `/admin/*`: a staff token from realm `staff`, and the named permission. */
export interface StaffHttpBinding extends HttpBindingBase {
  audience: 'staff';
  permission: StaffPermission;
}

/**
 * `/portal/*`: a contact's token from realm `portal`. The principal (the contact) comes from the
 * verified token and travels in the call's meta, never in params.
 */
export interface PortalHttpBinding extends HttpBindingBase {
  audience: 'portal';
}

/** `/public/*`: no token (login-page forms); always rate-limited per client address. */
export interface PublicHttpBinding extends HttpBindingBase {
  audience: 'public';
}

/**
 * How an action is exposed over HTTP. The gateway builds its routes and the OpenAPI document from
 * these bindings, so a contract is the single source of the path, who may call it and the schemas.
 * Params are assembled from path parameters, the query string (GET, DELETE) and the JSON body.
 */
export type HttpBinding = StaffHttpBinding | PortalHttpBinding | PublicHttpBinding;
export type HttpAudience = HttpBinding['audience'];

export const maxPageSize = 100;

/** Keyset pagination: `?limit≤100&cursor=`; a cursor is opaque and only valid for the same filters. */
export const pageParamsSchema = z.object({
  limit: z.coerce.number().int().min(1).max(maxPageSize).default(25),
  cursor: z
    .string()
    .min(1)
    .max(512)
    .regex(/^[A-Za-z0-9_-]+$/, 'an opaque cursor from a previous page')
    .optional(),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Booleans that may arrive from a query string: `true`/`false` as text, or real booleans from other services. */
export const queryBoolean = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

/** A uuid path or body id. */
export const idSchema = z.uuid();
