import type { PortalRealm } from './realm-reconciler.ts';

/**
 * The product name as Keycloak shows it. Keycloak puts a realm's display name into the login
 * page's title and header (`loginTitle`/`loginTitleHtml` get it as `{0}`) and into e-mail bodies
 * (`realmName`), but formats e-mail subjects with no arguments: those two subjects are written as
 * realm overrides of the theme's messages (Keycloak merges them over the theme's own for every
 * page and e-mail). Theme properties could carry the name only as far as templates, not into
 * those messages, so the name travels through the realm (also to a Keycloak the operator runs).
 */
export interface RealmBranding {
  displayName: string;
  /** Rendered as HTML in the login page's header (sanitised by Keycloak): the name, escaped. */
  displayNameHtml: string;
  /** Realm overrides of the e-mail theme's messages, locale `en`. */
  messages: Record<string, string>;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.codePointAt(0)};`);

export function realmBrandingOf(realm: PortalRealm, productName: string): RealmBranding {
  return {
    displayName: realm === 'staff' ? `${productName} — staff` : productName,
    displayNameHtml: escapeHtml(productName),
    messages: {
      executeActionsSubject: `Your ${productName} login`,
      passwordResetSubject: `Reset your ${productName} password`,
    },
  };
}

/** The override keys whose text differs from what the realm holds (none when all is in place). */
export function changedMessages(wanted: Record<string, string>, current: Record<string, string>): string[] {
  return Object.keys(wanted).filter((key) => current[key] !== wanted[key]);
}
