import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customResourceErrors, isKnownCustomResource } from './custom-resources.ts';
import { runTool } from './run-tool.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ensureHelm, ensureHelmUnittest, ensureKubernetesValidate } from '@portal/deploy/local/install';
import { chartDir, currentReadme, parametersOf, schemaLeafPaths } from '@portal/deploy/chart-parameters';

/** The Kubernetes version manifests are validated against: the newest the validator bundles. */
const kubernetesVersion = '1.37.0';
const ciValuesFiles = readdirSync(join(chartDir, 'ci')).filter((name) => name.endsWith('-values.yaml'));

interface Manifest {
  apiVersion?: string;
  kind?: string;
  [field: string]: unknown;
}

let helm: string;
let helmUnittest: string;
let validatorPython: string;
const scratch = mkdtempSync(join(tmpdir(), 'chart-'));

beforeAll(async () => {
  // Installed by `node deploy/local/infra.ts install` (CI's install step); built here when missing.
  const log = (line: string) => console.log(line);
  helm = await ensureHelm(log);
  helmUnittest = await ensureHelmUnittest(log);
  validatorPython = (await ensureKubernetesValidate(log)).python;
}, 30 * 60_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const template = (valuesFile: string, ...extra: string[]) =>
  runTool(helm, [
    'template',
    'portal',
    chartDir,
    '--namespace',
    'portal',
    '--kube-version',
    kubernetesVersion,
    '-f',
    join(chartDir, 'ci', valuesFile),
    ...extra,
  ]);

const lint = (valuesFile: string, ...extra: string[]) =>
  runTool(helm, ['lint', '--strict', chartDir, '-f', join(chartDir, 'ci', valuesFile), ...extra]);

describe.each(ciValuesFiles)('ci/%s', (valuesFile) => {
  it('passes helm lint --strict', async () => {
    const linted = await lint(valuesFile);
    expect(linted.output).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(linted.code, linted.output).toBe(0);
  });

  it(`renders manifests that Kubernetes ${kubernetesVersion}'s schemas accept (strict: no unknown fields)`, async () => {
    const rendered = await template(valuesFile);
    expect(rendered.code, rendered.output).toBe(0);
    const parsed = parseAllDocuments(rendered.output)
      .map((document) => ({ text: document.toString(), manifest: document.toJS() as Manifest | null }))
      .filter((document): document is { text: string; manifest: Manifest } => document.manifest !== null);
    expect(parsed.length).toBeGreaterThan(5);
    // Custom resources (the CloudNativePG Cluster) against their operators' own CRD schemas.
    for (const { manifest } of parsed.filter(({ manifest }) => isKnownCustomResource(manifest))) {
      expect(customResourceErrors(manifest)).toEqual([]);
    }
    // The rest as Helm wrote them (quoting kept: the validator reads YAML 1.1, where `off` is false).
    const builtIn = parsed.filter(({ manifest }) => !isKnownCustomResource(manifest));
    const file = join(scratch, valuesFile.replace('.yaml', '.rendered.yaml'));
    writeFileSync(file, builtIn.map(({ text }) => text).join('---\n'));
    const validation = await runTool(validatorPython, [
      '-m',
      'kubernetes_validate',
      '--strict',
      '-k',
      kubernetesVersion,
      file,
    ]);
    expect(validation.output).not.toMatch(/ERROR|did not validate/);
    expect(validation.code, validation.output).toBe(0);
    // One "passed" line per manifest: none was skipped as unknown.
    expect(validation.output.match(/ passed for resource /g)?.length).toBe(builtIn.length);
  });
});

it('renders one Deployment per service in production, every secret but the database roles’ from the operator', async () => {
  const rendered = await template('production-values.yaml');
  const documents = parseAllDocuments(rendered.output).map(
    (document) => document.toJS() as { kind: string; metadata: { name: string } },
  );
  const named = (kind: string) =>
    documents.filter((document) => document?.kind === kind).map((document) => document.metadata.name);
  const roles = ['gateway', 'identity', 'directory', 'documents', 'submittals', 'notifications'];
  expect(named('Deployment')).toEqual([...roles, 'keycloak'].map((name) => `portal-customer-portal-${name}`));
  // The generated Secret holds the roles' passwords and URLs alone; each role's own Secret is what the operator reads.
  expect(named('Secret')).toEqual([
    'portal-customer-portal-generated',
    ...[...roles, 'keycloak'].map((role) => `portal-customer-portal-postgresql-${role}`),
  ]);
  const generated = documents.find((document) => document.metadata.name === 'portal-customer-portal-generated') as
    { data: Record<string, string> } | undefined;
  expect(Object.keys(generated?.data ?? {}).every((key) => /^(database|postgresql-password)-/.test(key))).toBe(true);
  expect(named('HorizontalPodAutoscaler')).toEqual([
    'portal-customer-portal-gateway',
    'portal-customer-portal-directory',
  ]);
});

it('checks custom resources against their CRD: the Cluster schema refuses a field it does not know', async () => {
  const rendered = await template('minimal-values.yaml');
  const cluster = parseAllDocuments(rendered.output)
    .map((document) => document.toJS() as { apiVersion?: string; kind?: string; spec?: object })
    .find((document) => document?.kind === 'Cluster');
  expect(cluster && isKnownCustomResource(cluster)).toBe(true);
  expect(customResourceErrors({ ...cluster, spec: { ...cluster?.spec, instancez: 3 } }).join('\n')).toMatch(
    /additional properties/,
  );
  expect(customResourceErrors({ ...cluster, spec: { ...cluster?.spec, instances: 'three' } }).join('\n')).toMatch(
    /instances/,
  );
});

it('gives each database role the password its service’s URL holds, on a first install', async () => {
  const rendered = await template('minimal-values.yaml');
  const secrets = parseAllDocuments(rendered.output)
    .map((document) => document.toJS() as { kind?: string; metadata: { name: string }; data: Record<string, string> })
    .filter((document) => document?.kind === 'Secret');
  const decoded = (secret: { data: Record<string, string> } | undefined, key: string) =>
    Buffer.from(secret?.data[key] ?? '', 'base64').toString('utf8');
  const generated = secrets.find((secret) => secret.metadata.name === 'portal-customer-portal-generated');
  for (const role of ['gateway', 'identity', 'directory', 'documents', 'submittals', 'notifications']) {
    const own = secrets.find((secret) => secret.metadata.name === `portal-customer-portal-postgresql-${role}`);
    const url = new URL(decoded(generated, `database-${role}`));
    expect(url.username).toBe(role);
    expect(decoded(own, 'password')).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(url.password).toBe(decoded(own, 'password'));
  }
});

describe('values.schema.json', () => {
  it('refuses a value of the wrong kind, naming it', async () => {
    const linted = await lint('minimal-values.yaml', '--set', 'mode=three-tier');
    expect(linted.code).not.toBe(0);
    expect(linted.output).toMatch(/mode/);
    expect(linted.output).toMatch(/services|all-in-one/);
  });

  it('refuses a key it does not know (a typo is not ignored)', async () => {
    const linted = await lint('minimal-values.yaml', '--set', 'ingres.enabled=false');
    expect(linted.code).not.toBe(0);
    expect(linted.output).toMatch(/ingres/);
  });

  it('refuses a NATS URL of another protocol', async () => {
    const rendered = await template('minimal-values.yaml', '--set', 'nats.url=http://nats:4222');
    expect(rendered.code).not.toBe(0);
    expect(rendered.output).toMatch(/nats/);
  });

  it('types every value, and every value has a @param line in values.yaml', () => {
    const schema = JSON.parse(readFileSync(join(chartDir, 'values.schema.json'), 'utf8')) as {
      properties: Record<string, unknown>;
    };
    const documented = new Set(parametersOf(readFileSync(join(chartDir, 'values.yaml'), 'utf8')).map((p) => p.path));
    const isDocumented = (path: string) => {
      const parts = path.split('.');
      return parts.some((_, index) => documented.has(parts.slice(0, index + 1).join('.')));
    };
    // `global` belongs to parent charts; Helm passes it to every chart.
    const leaves = schemaLeafPaths(schema);
    const undocumented = leaves.filter((path) => path !== 'global' && !isDocumented(path));
    expect(undocumented).toEqual([]);
    // A @param names a value the schema knows (a leaf, or an object documented as a whole).
    const unknown = [...documented].filter(
      (path) => !leaves.some((leaf) => leaf === path || leaf.startsWith(`${path}.`)),
    );
    expect(unknown).toEqual([]);
  });
});

it('passes the helm-unittest suites (ranged services, network policies, secrets, security, scaling, hooks)', async () => {
  const suites = await runTool(helmUnittest, ['--color=false', chartDir]);
  expect(suites.code, suites.output).toBe(0);
  const summary = /Tests:\s+(\d+) passed, (\d+) total/.exec(suites.output);
  expect(summary, suites.output).not.toBeNull();
  expect(Number(summary?.[1])).toBeGreaterThanOrEqual(30);
  expect(summary?.[1]).toBe(summary?.[2]);
});

it("README.md's parameter table is the one values.yaml gives (node deploy/chart-parameters.ts)", () => {
  expect(readFileSync(join(chartDir, 'README.md'), 'utf8')).toBe(currentReadme());
});
