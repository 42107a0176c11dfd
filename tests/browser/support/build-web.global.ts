import { spawnSync } from 'node:child_process';

/** The browser suites test the web UIs as built: build them once per run, from the sources at hand. */
export function setup(): void {
  const build = spawnSync('npm', ['run', 'build:web'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build:web failed; the browser suites need the web build');
}
