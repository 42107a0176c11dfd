// The chart's parameter table: read from the `## @param` and `## @section` lines of values.yaml and
// written into README.md between its markers, so the documentation cannot drift from the values.
// `node deploy/chart-parameters.ts` rewrites the README; the chart tests check it is current.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const chartDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'charts', 'customer-portal');
const startMarker = '<!-- parameters:start (generated from values.yaml: node deploy/chart-parameters.ts) -->';
const endMarker = '<!-- parameters:end -->';

export interface Parameter {
  section: string;
  path: string;
  description: string;
}

/** Every `## @param <path> <description>` of values.yaml, under the `## @section` it follows. */
export function parametersOf(valuesYaml: string): Parameter[] {
  const parameters: Parameter[] = [];
  let section = '';
  for (const line of valuesYaml.split('\n')) {
    const sectionMatch = /^## @section (.+)$/.exec(line);
    if (sectionMatch) section = sectionMatch[1]!.trim();
    const paramMatch = /^## @param (\S+) (.+)$/.exec(line);
    if (paramMatch) parameters.push({ section, path: paramMatch[1]!, description: paramMatch[2]!.trim() });
  }
  return parameters;
}

/** The value at a dotted path of the values (as `helm show values` would give it), shown compactly. */
function defaultOf(values: unknown, path: string): string {
  let value: unknown = values;
  for (const key of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
  if (value === undefined) return '';
  const text = JSON.stringify(value);
  return text.length > 60 ? `see values.yaml` : `\`${text.replaceAll('|', '\\|')}\``;
}

/** The Markdown tables, one per section. `values` is values.yaml parsed (for the defaults column). */
export function parameterTables(parameters: readonly Parameter[], values: unknown): string {
  const sections = [...new Set(parameters.map((parameter) => parameter.section))];
  return sections
    .map((section) => {
      const rows = parameters
        .filter((parameter) => parameter.section === section)
        .map(
          (parameter) =>
            `| \`${parameter.path}\` | ${parameter.description.replaceAll('|', '\\|')} | ${defaultOf(values, parameter.path)} |`,
        );
      return [`### ${section}`, '', '| key | description | default |', '|---|---|---|', ...rows].join('\n');
    })
    .join('\n\n');
}

/** README.md with its generated part replaced by `tables`. */
export function readmeWith(readme: string, tables: string): string {
  const start = readme.indexOf(startMarker);
  const end = readme.indexOf(endMarker);
  if (start < 0 || end < start) throw new Error(`README.md lacks the markers ${startMarker} … ${endMarker}`);
  return `${readme.slice(0, start + startMarker.length)}\n\n${tables}\n\n${readme.slice(end)}`;
}

/**
 * The dotted paths of the leaves values.schema.json declares: properties without nested
 * `properties` (scalars, lists, maps and free-form objects), to check each has a `@param` line.
 */
export function schemaLeafPaths(schema: { properties?: Record<string, unknown> }, prefix = ''): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const nested = child as { properties?: Record<string, unknown> };
    return nested.properties ? schemaLeafPaths(nested, path) : [path];
  });
}

/** README.md as it should be: its generated part made from values.yaml now. */
export function currentReadme(): string {
  const valuesYaml = readFileSync(join(chartDir, 'values.yaml'), 'utf8');
  const tables = parameterTables(parametersOf(valuesYaml), parse(valuesYaml));
  return readmeWith(readFileSync(join(chartDir, 'README.md'), 'utf8'), tables);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(join(chartDir, 'README.md'), currentReadme());
  console.log(`README.md: ${parametersOf(readFileSync(join(chartDir, 'values.yaml'), 'utf8')).length} parameters`);
}
