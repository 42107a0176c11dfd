import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brandingEnvSchema } from '@portal/config';
import { keycloakEnv, projectThemesDir } from '../../keycloak.ts';

describe("Keycloak's share of the branding", () => {
  it('the launcher hands Keycloak the same branding variables the services read, and only those set', () => {
    const env = keycloakEnv('/jdk', { PORTAL_PRIMARY_COLOR: '#aa3300', PORTAL_LOGO_URL: '', OTHER: 'x' });
    expect(env).toMatchObject({ JAVA_HOME: '/jdk', PORTAL_PRIMARY_COLOR: '#aa3300' });
    expect(env).not.toHaveProperty('PORTAL_LOGO_URL');
    expect(env).not.toHaveProperty('OTHER');
  });

  it('the login and e-mail themes take the colour from that environment, with the defaults the web UIs use', () => {
    const defaultColor = brandingEnvSchema.parse({}).PORTAL_PRIMARY_COLOR;
    const properties = (theme: string) =>
      readFileSync(join(projectThemesDir, 'customer-portal', theme, 'theme.properties'), 'utf8');
    expect(properties('login')).toContain(`\nportalPrimaryColor=\${env.PORTAL_PRIMARY_COLOR:${defaultColor}}\n`);
    expect(properties('login')).toMatch(/^portalLogoUrl=\$\{env\.PORTAL_LOGO_URL:\}$/m);
    expect(properties('email')).toContain(`\nportalPrimaryColor=\${env.PORTAL_PRIMARY_COLOR:${defaultColor}}\n`);
  });
});
