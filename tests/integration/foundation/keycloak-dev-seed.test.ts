import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devLoginToken, devLogins } from '@portal/deploy/local/dev-logins';
import { requireStackVar } from '@portal/testing';
import { keycloakAdminToken } from '@portal/deploy/local/components';
import { devCredentials } from '@portal/deploy/local/config';
import { startStack } from '@portal/deploy/local/stack';
import { requireComponent } from './component-probes.ts';

/**
 * The launcher, given a Keycloak by KEYCLOAK_URL (one it did not start), leaves the dev seed out
 * unless asked. Shown on the running Keycloak: one seeded user is removed, a launcher run against
 * the URL must not bring it back, an explicit run must.
 */
describe('launcher: the dev seed and a Keycloak it did not start', () => {
  const viewer = devLogins.staffViewer;
  let keycloakUrl: string;
  const saved = { url: process.env['KEYCLOAK_URL'], seed: process.env['PORTAL_SEED_EXTERNAL_KEYCLOAK'] };

  const viewerLogin = async () => (await devLoginToken(keycloakUrl, 'staffViewer')).status;

  const launch = async (seedExternalKeycloak?: boolean) => {
    const lines: string[] = [];
    const stack = await startStack({
      only: ['keycloak'],
      log: (line) => lines.push(line),
      ...(seedExternalKeycloak ? { seedExternalKeycloak } : {}),
    });
    await stack.stop();
    return { lines, keycloak: stack.components.find((component) => component.name === 'keycloak') };
  };

  beforeAll(async () => {
    await requireComponent('keycloak');
    keycloakUrl = requireStackVar('KEYCLOAK_URL');
    process.env['KEYCLOAK_URL'] = keycloakUrl;
    delete process.env['PORTAL_SEED_EXTERNAL_KEYCLOAK'];
  });

  afterAll(async () => {
    if (saved.url === undefined) delete process.env['KEYCLOAK_URL'];
    else process.env['KEYCLOAK_URL'] = saved.url;
    if (saved.seed !== undefined) process.env['PORTAL_SEED_EXTERNAL_KEYCLOAK'] = saved.seed;
    // Whatever happened above, leave the seeded viewer in place for the other suites.
    if ((await viewerLogin()) !== 200) await launch(true);
  });

  it('does not seed it unless asked, says so in one line, and seeds it when asked', async () => {
    const token = await keycloakAdminToken(
      keycloakUrl,
      devCredentials.keycloakAdminUser,
      devCredentials.keycloakAdminPassword,
      10_000,
    );
    const admin = (path: string, init: RequestInit = {}) =>
      fetch(`${keycloakUrl}/admin/realms/${viewer.realm}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(10_000),
      });
    const [user] = (await (
      await admin(`/users?exact=true&username=${encodeURIComponent(viewer.username)}`)
    ).json()) as {
      id: string;
    }[];
    expect(user, 'the seeded viewer exists before the test').toBeDefined();
    expect((await admin(`/users/${user?.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await viewerLogin()).not.toBe(200);

    const plain = await launch();
    expect(plain.keycloak?.devSeedApplied).toBe(false);
    expect(plain.lines.filter((line) => line.includes('dev seed:') && !line.includes('realms:'))).toEqual([
      expect.stringMatching(/NOT applied .*given by KEYCLOAK_URL.*--seed-external-keycloak/),
    ]);
    expect(await viewerLogin()).not.toBe(200);

    const asked = await launch(true);
    expect(asked.keycloak?.devSeedApplied).toBe(true);
    expect(asked.lines).toContainEqual(expect.stringMatching(/dev seed: applied to .*did not start/));
    expect(await viewerLogin()).toBe(200);
  });
});
