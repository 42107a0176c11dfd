import type { WebApp } from '@portal/contracts';
import type { RevocationRealm } from '@portal/kit';

/** Each web UI signs in against its own Keycloak realm: `/admin` staff, `/portal` contacts. */
export const webAppRealms = { admin: 'staff', portal: 'portal' } as const satisfies Record<WebApp, RevocationRealm>;

export const isWebApp = (value: string): value is WebApp => Object.hasOwn(webAppRealms, value);
