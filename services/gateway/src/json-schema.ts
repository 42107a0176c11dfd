import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/** Schemas that become shared components: each emitted once under its `id`, referred to by `$ref`. */
export type SharedSchemaRegistry = z.core.$ZodRegistry<{ id: string }>;

/**
 * A contract schema as JSON Schema 2020-12, the dialect of OpenAPI 3.1 and of AsyncAPI's default
 * schema format (no `$schema`: the document names its dialect). `io: 'input'` is what clients
 * send (defaults optional), `io: 'output'` what services produce. Schemas found in `shared` land
 * in local `$defs`; `hoistDefs` moves them into the document's components.
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output', shared?: SharedSchemaRegistry): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
    ...(shared ? { metadata: shared } : {}),
  }) as JsonSchema;
  return rest;
}

/**
 * Moves a schema's local `$defs` (shared or recursive types) into `components.schemas`, named by
 * `componentName`, and points its refs there. A name already taken by a different schema is a
 * bug in the caller's naming and throws.
 */
export function hoistDefs(
  schema: JsonSchema,
  components: Record<string, JsonSchema>,
  componentName: (defName: string) => string,
): JsonSchema {
  const defs = schema.$defs as Record<string, JsonSchema> | undefined;
  if (!defs) return schema;
  const { $defs: _local, ...rest } = schema;
  const rename = (name: string) => componentName(name).replace(/[^A-Za-z0-9._-]/g, '_');
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) =>
        key === '$ref' && typeof inner === 'string' && inner.startsWith('#/$defs/')
          ? [key, `#/components/schemas/${rename(inner.slice('#/$defs/'.length))}`]
          : [key, rewrite(inner)],
      ),
    );
  };
  for (const [name, def] of Object.entries(defs)) {
    const hoisted = rewrite(def) as JsonSchema;
    const existing = components[rename(name)];
    if (existing && JSON.stringify(existing) !== JSON.stringify(hoisted)) {
      throw new Error(`Two different schemas want the component name "${rename(name)}"`);
    }
    components[rename(name)] = hoisted;
  }
  return rewrite(rest) as JsonSchema;
}
