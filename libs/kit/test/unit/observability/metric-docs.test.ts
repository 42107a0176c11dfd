import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { portalMetrics } from '@portal/kit';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The README's metrics table: series name → its type and labels as written there. */
function documentedSeries(): Map<string, { type: string; labels: string[] }> {
  const rows = readme.split('\n').filter((line) => /^\| `portal_[a-z_]+` \|/.test(line));
  return new Map(
    rows.map((row) => {
      const [name, type, labels] = row
        .split('|')
        .slice(1, 4)
        .map((cell) => cell.trim());
      return [
        (name ?? '').replaceAll('`', ''),
        { type: type ?? '', labels: [...(labels ?? '').matchAll(/`([a-z_]+)`/g)].map((match) => match[1] as string) },
      ];
    }),
  );
}

describe("the kit README's metrics table", () => {
  it('lists exactly the series of the catalog, with their types and labels', () => {
    const documented = documentedSeries();
    expect([...documented.keys()].sort()).toEqual(
      Object.values(portalMetrics)
        .map((spec) => spec.name)
        .sort(),
    );
    for (const spec of Object.values(portalMetrics)) {
      expect(documented.get(spec.name), spec.name).toEqual({ type: spec.type, labels: [...spec.labels] });
    }
  });
});
