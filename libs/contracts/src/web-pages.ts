/**
 * The portal web app's public pages (no sign-in needed), below `/portal/`. Keycloak's login page
 * links to them (identity writes the links into the realm), the portal app routes them, the
 * launcher prints them: one list for all.
 */
export const portalPublicPages = { requestAccess: 'request-access', register: 'register' } as const;
export type PortalPublicPage = keyof typeof portalPublicPages;

/** A public page's path from the site root, e.g. `/portal/request-access`. */
export function portalPublicPagePath(page: PortalPublicPage): string {
  return `/portal/${portalPublicPages[page]}`;
}

/**
 * The portal's public page behind an e-mail's unsubscribe link (`/portal/unsubscribe/<token>`): it
 * says what the link stops and unsubscribes on a click. The `List-Unsubscribe` header keeps the
 * API's one-click URL for mail clients.
 */
export const portalUnsubscribePage = 'unsubscribe/$token';

/** The unsubscribe page's path from the site root for a signed token. */
export function portalUnsubscribePagePath(token: string): string {
  return `/portal/unsubscribe/${encodeURIComponent(token)}`;
}
