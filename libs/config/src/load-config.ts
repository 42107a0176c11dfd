import type { z } from 'zod';

export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Validates the environment against `schema` once and returns a frozen, typed object.
 * Collects every problem, not just the first, so an operator fixes a deployment in one pass.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.output<S>> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(root)';
      const got = issue.path.length === 1 && env[String(issue.path[0])] === undefined ? ' (not set)' : '';
      return `${key}: ${issue.message}${got}`;
    });
    throw new ConfigError(problems);
  }
  return Object.freeze(parsed.data);
}

/** For a process entry point: on a bad environment, print every problem and exit 78 (EX_CONFIG). */
export function loadConfigOrExit<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.output<S>> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}
