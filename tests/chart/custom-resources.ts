import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * The schemas of the custom resources the chart renders (kubernetes-validate knows only
 * Kubernetes' own kinds): each file in crds/ holds one CRD version's `openAPIV3Schema`, taken from
 * the operator's release named in its `source`.
 */
const crdsDir = join(import.meta.dirname, 'crds');

interface CrdFile {
  source: string;
  apiVersion: string;
  kind: string;
  schema: Record<string, unknown>;
}

type SchemaNode = Record<string, unknown>;

/**
 * As strict as the API server with `kubectl apply --validate=strict`: an object schema with
 * `properties` refuses a field it does not name, unless the CRD keeps unknown fields there.
 */
function refuseUnknownFields(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(refuseUnknownFields);
  if (node === null || typeof node !== 'object') return node;
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node as SchemaNode)) out[key] = refuseUnknownFields(value);
  if (out['properties'] && !out['x-kubernetes-preserve-unknown-fields'] && out['additionalProperties'] === undefined) {
    out['additionalProperties'] = false;
  }
  return out;
}

// OpenAPI's formats (`int32`, `int64`, `date-time`) describe; the API server does not check them either.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const validators = new Map<string, ValidateFunction>(
  readdirSync(crdsDir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => {
      const crd = JSON.parse(readFileSync(join(crdsDir, name), 'utf8')) as CrdFile;
      return [`${crd.apiVersion}/${crd.kind}`, ajv.compile(refuseUnknownFields(crd.schema) as object)];
    }),
);

/** Whether the chart's test knows this kind's schema (then kubernetes-validate is not asked). */
export function isKnownCustomResource(document: { apiVersion?: string; kind?: string }): boolean {
  return validators.has(`${document.apiVersion}/${document.kind}`);
}

/** The schema errors of one rendered custom resource, as `path: message` lines (empty: valid). */
export function customResourceErrors(document: {
  apiVersion?: string;
  kind?: string;
  [field: string]: unknown;
}): string[] {
  const validate = validators.get(`${document.apiVersion}/${document.kind}`);
  if (!validate) throw new Error(`no schema for ${document.apiVersion} ${document.kind} in tests/chart/crds`);
  if (validate(document)) return [];
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || '/'}: ${error.message ?? 'invalid'} ${JSON.stringify(error.params)}`,
  );
}
