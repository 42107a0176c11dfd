import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool, type ToolOutcome } from './run-tool.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSecrets, withComposeSecrets } from '@portal/deploy/compose/init-env';
import { pins, repoRoot } from '@portal/deploy/local/config';
import { ensureDockerCompose } from '@portal/deploy/local/install';

interface ComposeModel {
  services: Record<
    string,
    {
      image?: string;
      read_only?: boolean;
      cap_drop?: string[];
      environment?: Record<string, string | null>;
      ports?: { host_ip?: string; published?: string; target: number }[];
    }
  >;
}

const applicationServices = ['gateway', 'identity', 'directory', 'documents', 'submittals', 'notifications'];
let compose: string;
const scratch = mkdtempSync(join(tmpdir(), 'compose-'));

beforeAll(async () => {
  // Built by `node deploy/local/infra.ts install` (CI's install step); built here when missing.
  compose = await ensureDockerCompose((line) => console.log(line));
}, 30 * 60_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `docker compose config` (the plugin's binary alone: no engine needed) of the repository's file. */
function composeConfig(envFile: string): Promise<ToolOutcome> {
  return runTool(
    compose,
    [
      '--project-directory',
      repoRoot,
      '-f',
      join(repoRoot, 'docker-compose.yml'),
      '--env-file',
      envFile,
      'config',
      '--format',
      'json',
    ],
    // Nothing from this shell may fill a variable the file requires from `.env`.
    { PATH: process.env.PATH ?? '' },
  );
}

describe('docker-compose.yml', () => {
  it('is accepted by docker compose config with the secrets init-env generates, bound to 127.0.0.1 only', async () => {
    const envFile = join(scratch, 'generated.env');
    writeFileSync(envFile, withComposeSecrets('').content);
    const config = await composeConfig(envFile);
    expect(config.code, config.output).toBe(0);
    const model = JSON.parse(config.output) as ComposeModel;
    expect(Object.keys(model.services).sort()).toEqual(
      [...applicationServices, 'postgres', 'nats', 'keycloak', 's3', 'clamd', 'mail'].sort(),
    );
    const published = Object.entries(model.services).flatMap(([name, service]) =>
      (service.ports ?? []).map((port) => `${name}:${port.host_ip ?? 'all interfaces'}:${port.published}`),
    );
    expect(published.length).toBeGreaterThan(0);
    for (const port of published) expect(port).toMatch(/^[a-z0-9]+:127\.0\.0\.1:\d+$/);
    // NATS, PostgreSQL and clamd publish nothing at all.
    for (const hidden of ['nats', 'postgres', 'clamd']) expect(model.services[hidden]?.ports ?? []).toEqual([]);
  });

  it('leaves tracing off unless .env names a collector, then every service sends its spans there', async () => {
    const envFile = join(scratch, 'tracing.env');
    const { content } = withComposeSecrets('');
    writeFileSync(envFile, content);
    const off = JSON.parse((await composeConfig(envFile)).output) as ComposeModel;
    writeFileSync(envFile, `${content}\nOTEL_EXPORTER_OTLP_ENDPOINT=http://jaeger:4318\n`);
    const on = JSON.parse((await composeConfig(envFile)).output) as ComposeModel;
    for (const name of applicationServices) {
      expect(off.services[name]?.environment?.['OTEL_EXPORTER_OTLP_ENDPOINT'], name).toBe('');
      expect(on.services[name]?.environment, name).toMatchObject({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
        OTEL_TRACES_SAMPLER_ARG: '1',
      });
    }
  });

  it('runs Keycloak at the version of the native stack', async () => {
    const envFile = join(scratch, 'generated.env');
    writeFileSync(envFile, withComposeSecrets('').content);
    const model = JSON.parse((await composeConfig(envFile)).output) as ComposeModel;
    expect(model.services['keycloak']?.image).toBe(`quay.io/keycloak/keycloak:${pins.keycloak}`);
  });

  it('runs the services read-only without capabilities, each with its secrets from .env', async () => {
    const envFile = join(scratch, 'generated.env');
    const { content } = withComposeSecrets('');
    writeFileSync(envFile, content);
    const secrets = Object.fromEntries(
      content
        .split('\n')
        .filter((line) => /^[A-Z0-9_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    const model = JSON.parse((await composeConfig(envFile)).output) as ComposeModel;
    for (const name of applicationServices) {
      const service = model.services[name];
      expect(service?.read_only, name).toBe(true);
      expect(service?.cap_drop, name).toEqual(['ALL']);
    }
    const env = (name: string) => model.services[name]?.environment ?? {};
    expect(env('identity')['KEYCLOAK_ADMIN_PASSWORD']).toBe(secrets['KEYCLOAK_ADMIN_PASSWORD']);
    expect(env('keycloak')['KC_BOOTSTRAP_ADMIN_PASSWORD']).toBe(secrets['KEYCLOAK_ADMIN_PASSWORD']);
    expect(env('gateway')['GATEWAY_DATABASE_URL']).toBe(
      `postgres://gateway:${secrets['GATEWAY_DB_PASSWORD']}@postgres:5432/portal`,
    );
    expect(env('gateway')['KEYCLOAK_GATEWAY_CLIENT_SECRET']).toBe(env('identity')['KEYCLOAK_GATEWAY_CLIENT_SECRET']);
    expect(env('documents')['S3_SECRET_KEY']).toBe(env('s3')['ROOT_SECRET_KEY']);
    // No service holds another one's database role.
    expect(Object.keys(env('directory')).filter((key) => key.endsWith('_DATABASE_URL'))).toEqual([
      'DIRECTORY_DATABASE_URL',
    ]);
    // And the file itself holds no secret: every one comes from .env.
    const file = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
    for (const value of Object.values(secrets)) expect(file).not.toContain(value);
  });

  it('runs NATS with authentication: each service connects as its own user, with the password NATS knows', async () => {
    const envFile = join(scratch, 'generated.env');
    writeFileSync(envFile, withComposeSecrets('').content);
    const model = JSON.parse((await composeConfig(envFile)).output) as ComposeModel & {
      services: Record<string, { command?: string[]; volumes?: { source?: string; target: string }[] }>;
    };
    const nats = model.services['nats'];
    expect(nats?.command).toEqual(['-c', '/etc/nats/nats.conf']);
    expect(nats?.volumes?.find((volume) => volume.target === '/etc/nats/nats.conf')?.source).toBe(
      join(repoRoot, 'deploy', 'compose', 'nats.conf'),
    );
    const natsConfig = readFileSync(join(repoRoot, 'deploy', 'compose', 'nats.conf'), 'utf8');
    for (const name of applicationServices) {
      const variable = `${name.toUpperCase()}_NATS_PASSWORD`;
      const own = model.services[name]?.environment ?? {};
      expect(own['NATS_USER'], name).toBe(name);
      expect(own['NATS_PASSWORD'], name).toBe(nats?.environment?.[variable]);
      expect(own['NATS_PASSWORD'], name).toMatch(/^[a-z][a-z0-9]{20,}$/);
      expect(natsConfig).toContain(`{ user: ${name}, password: $${variable} }`);
    }
    // No anonymous access: the config has users and no `no_auth_user`.
    expect(natsConfig).toMatch(/authorization \{/);
    expect(natsConfig).not.toMatch(/no_auth_user/);
  });

  it('refuses to start without .env, saying how to make one', async () => {
    const empty = join(scratch, 'empty.env');
    writeFileSync(empty, '');
    const config = await composeConfig(empty);
    expect(config.code).not.toBe(0);
    expect(config.output).toContain('run "node deploy/compose/init-env.ts" first');
  });
});

describe('deploy/compose/init-env.ts', () => {
  it('generates every secret the compose file requires, and keeps the ones a .env already has', () => {
    const first = withComposeSecrets('');
    expect(first.added.sort()).toEqual(Object.keys(composeSecrets).sort());
    const kept = 'POSTGRES_PASSWORD=chosen-by-the-operator\nPORTAL_PRODUCT_NAME=Acme portal\n';
    const second = withComposeSecrets(kept);
    expect(second.content.startsWith(kept)).toBe(true);
    expect(second.added).not.toContain('POSTGRES_PASSWORD');
    expect(second.content.match(/^POSTGRES_PASSWORD=/gm)).toHaveLength(1);
    expect(withComposeSecrets(second.content).added).toEqual([]);
    // Every `${NAME:?…}` of docker-compose.yml is one the script makes.
    const required = new Set(
      [...readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8').matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]),
    );
    expect([...required].sort()).toEqual(Object.keys(composeSecrets).sort());
  });
});
