import { portalPublicPagePath, type SystemOptions } from '@portal/contracts';
import { defineConsumer, type ConsumerDefinition } from '@portal/kit';

/**
 * The realm attributes the customer-portal login theme reads (deploy/keycloak/themes/customer-portal/
 * login/footer.ftl): a link's URL while its option is on, an empty string while it is off.
 * Keycloak 26 hands realm attributes to the login templates (`realm.attributes`), so the login
 * page follows the directory's system options without a theme change or a restart.
 */
export type LoginLinkAttributes = {
  portalRequestAccessUrl: string;
  portalRegisterUrl: string;
};

/** Writes attributes onto a realm, leaving its other attributes alone (Keycloak admin API). */
export type RealmAttributesWriter = (realm: 'portal', attributes: LoginLinkAttributes) => Promise<void>;

export function loginLinkAttributes(
  options: Pick<SystemOptions, 'requestLoginButton' | 'selfRegistration'>,
  portalPublicUrl: string,
): LoginLinkAttributes {
  const base = portalPublicUrl.replace(/\/+$/, '');
  return {
    portalRequestAccessUrl: options.requestLoginButton ? `${base}${portalPublicPagePath('requestAccess')}` : '',
    portalRegisterUrl: options.selfRegistration ? `${base}${portalPublicPagePath('register')}` : '',
  };
}

/**
 * `directory.system-options.changed` → the portal realm's login links. The write is idempotent
 * (the same options give the same attributes), so a redelivery does no harm.
 */
export function loginLinksConsumer(
  writeAttributes: RealmAttributesWriter,
  portalPublicUrl: string,
): ConsumerDefinition {
  return defineConsumer({
    durableName: 'identity-on-system-options-changed',
    events: ['directory.system-options.changed'],
    async handle(event) {
      await writeAttributes('portal', loginLinkAttributes(event.data, portalPublicUrl));
    },
  });
}
