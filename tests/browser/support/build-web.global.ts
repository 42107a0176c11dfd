import { spawnSync } from 'node:child_process';

/**
 * The browser suites test the web UIs as shipped: a production build (vitest's NODE_ENV=test would
 * otherwise give React's development build), once per run, from the sources at hand.
 */
export function setup(): void {
  const build = spawnSync('npm', ['run', 'build:web'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (build.status !== 0) throw new Error('npm run build:web failed; the browser suites need the web build');
}
