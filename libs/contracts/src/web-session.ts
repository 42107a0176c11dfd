import { z } from 'zod';
import { staffPermissions, staffRoles } from './http.ts';

/**
 * The two web UIs and the gateway as their backend-for-frontend: the browser holds only an
 * HttpOnly session cookie; `GET /auth/{app}/session` says who is signed in. Never a token.
 */
export const webApps = ['admin', 'portal'] as const;
export type WebApp = (typeof webApps)[number];

/**
 * The header every non-GET request of a web UI sends (API calls and `POST /auth/{app}/logout`):
 * a cross-site form cannot set it, so together with the same-origin check it refuses CSRF.
 */
export const webRequestHeader = { name: 'x-requested-by', value: 'customer-portal-web' } as const;

const webUserSchema = z.object({
  /** The Keycloak user id (`sub`). */
  id: z.string(),
  username: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
});
export type WebUser = z.infer<typeof webUserSchema>;

/** `GET /auth/admin/session`: the staff user, their staff roles and what those allow. */
export const staffWebSessionSchema = z.object({
  user: webUserSchema,
  roles: z.array(z.enum(staffRoles)),
  permissions: z.array(z.enum(staffPermissions)),
});
export type StaffWebSession = z.infer<typeof staffWebSessionSchema>;

/** `GET /auth/portal/session`: the signed-in contact's login. */
export const portalWebSessionSchema = z.object({ user: webUserSchema });
export type PortalWebSession = z.infer<typeof portalWebSessionSchema>;

/** `POST /auth/{app}/logout`: where the UI goes next so Keycloak's own session ends too. */
export const webLogoutSchema = z.object({ logoutUrl: z.url() });
export type WebLogout = z.infer<typeof webLogoutSchema>;
