import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface ToolOutcome {
  code: number;
  output: string;
}

/** Runs a tool to its end; a non-zero exit is an outcome to assert on, not a throw. */
export async function runTool(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ToolOutcome> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, { env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    };
  }
}
