import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    stackEnv: Record<string, string>;
  }
}

/**
 * Connection settings of the real stack started (or reused) by the global setup. Throws with a
 * clear message instead of letting a test hang on an unset URL.
 */
export function stackEnv(): Record<string, string> {
  const env = inject('stackEnv');
  if (!env) throw new Error('No stack environment: run this suite through the integration or e2e vitest project.');
  return env;
}

export function requireStackVar(name: string): string {
  const value = stackEnv()[name];
  if (!value) throw new Error(`${name} is not set by the stack launcher; is the component running?`);
  return value;
}
