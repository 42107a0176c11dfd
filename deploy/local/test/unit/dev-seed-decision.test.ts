import { describe, expect, it } from 'vitest';
import { devSeedDecision, seedExternalKeycloakRequested, type KeycloakOrigin } from '../../keycloak.ts';

const url = 'http://127.0.0.1:58080';
const decide = (origin: KeycloakOrigin, options: { wanted?: boolean; seedExternal?: boolean } = {}) =>
  devSeedDecision({
    wanted: options.wanted ?? true,
    origin,
    seedExternal: options.seedExternal ?? false,
    url,
    port: 58080,
  });

describe('dev seed decision', () => {
  it('seeds a Keycloak the launcher started, now or in an earlier run recorded in stack.json', () => {
    for (const origin of ['started', 'recorded'] as const) {
      expect(decide(origin)).toMatchObject({ apply: true, allowDevSecrets: true });
      expect(decide(origin).line).toMatch(/dev seed: applied to .*launcher started/);
    }
  });

  it('never seeds a Keycloak it was given or found on its port, and says how to ask for it', () => {
    const given = decide('external');
    expect(given).toMatchObject({ apply: false, allowDevSecrets: false });
    expect(given.line).toMatch(
      /NOT applied .*given by KEYCLOAK_URL.*--seed-external-keycloak.*PORTAL_SEED_EXTERNAL_KEYCLOAK=1/,
    );
    const adopted = decide('adopted');
    expect(adopted).toMatchObject({ apply: false, allowDevSecrets: false });
    expect(adopted.line).toMatch(/NOT applied .*port 58080 with no record in \.local\/stack\.json/);
  });

  it('seeds a foreign Keycloak only when asked explicitly, and says so', () => {
    for (const origin of ['external', 'adopted'] as const) {
      const decision = decide(origin, { seedExternal: true });
      expect(decision).toMatchObject({ apply: true, allowDevSecrets: true });
      expect(decision.line).toMatch(/applied to .*did not start.*as --seed-external-keycloak/);
    }
  });

  it('applies nothing with --no-seed, whoever started it', () => {
    for (const origin of ['started', 'recorded', 'external', 'adopted'] as const) {
      expect(decide(origin, { wanted: false, seedExternal: true }).apply).toBe(false);
      expect(decide(origin, { wanted: false }).line).toMatch(/not applied .*--no-seed/);
    }
  });

  it('reads the explicit request from PORTAL_SEED_EXTERNAL_KEYCLOAK', () => {
    expect(seedExternalKeycloakRequested({ PORTAL_SEED_EXTERNAL_KEYCLOAK: '1' })).toBe(true);
    expect(seedExternalKeycloakRequested({ PORTAL_SEED_EXTERNAL_KEYCLOAK: 'true' })).toBe(true);
    expect(seedExternalKeycloakRequested({ PORTAL_SEED_EXTERNAL_KEYCLOAK: '0' })).toBe(false);
    expect(seedExternalKeycloakRequested({})).toBe(false);
  });
});
