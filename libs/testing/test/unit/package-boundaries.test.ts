import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const workspaces = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] })
  .workspaces;

/** Every workspace package folder (`libs/kit`, `services/directory`, `deploy`, `tests`, …). */
const packageDirs = workspaces.flatMap((pattern) =>
  pattern.endsWith('/*')
    ? readdirSync(join(root, pattern.slice(0, -2)))
        .map((name) => join(root, pattern.slice(0, -2), name))
        .filter((dir) => statSync(join(dir, 'package.json'), { throwIfNoEntry: false }))
    : [join(root, pattern)],
);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

const relativeSpecifier = /(?:from\s+|import\s*\(\s*|new URL\(\s*)'(\.\.?\/[^']+)'/g;

// STYLE: packages import each other by package name, never by a relative path that leaves the
// package, so each package's public surface is what its package.json exports.
describe('package boundaries', () => {
  it('no relative import leaves its package', () => {
    const crossings = packageDirs.flatMap((packageDir) =>
      sourceFiles(packageDir).flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(relativeSpecifier)].flatMap(([, specifier]) => {
          const target = resolve(dirname(file), specifier ?? '');
          return target === packageDir || target.startsWith(packageDir + sep)
            ? []
            : [`${relative(root, file)} → ${specifier}`];
        }),
      ),
    );
    expect(crossings).toEqual([]);
  });
});
