import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

const portsHandedOut = new Set<number>();

/**
 * A port nothing listens on right now (the OS picks it), for processes a test starts. The OS may
 * hand the same port out twice once it is closed again, so ports given earlier in this process are
 * never given again: a test that starts several servers gets distinct ports.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (typeof address !== 'object' || !address) throw new Error('could not obtain a free port');
    if (!portsHandedOut.has(address.port)) {
      portsHandedOut.add(address.port);
      return address.port;
    }
  }
}

export interface NodeProcess {
  name: string;
  child: ChildProcess;
  /** Everything the process printed so far, for assertion messages. */
  output(): string;
  /** Resolves with the exit code; rejects if the process is still running after `timeoutMs`. */
  exited(timeoutMs: number): Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<number | null>;
}

/** Runs a TypeScript entry point on this Node (24, type stripping) with an explicit environment. */
export function spawnNode(
  name: string,
  script: string,
  env: Record<string, string>,
  args: readonly string[] = [],
): NodeProcess {
  const child = spawn(process.execPath, [script, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const exited = (timeoutMs: number) =>
    Promise.race([
      exit,
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`${name} still running after ${timeoutMs} ms:\n${output.slice(-2000)}`)),
          timeoutMs,
        ).unref(),
      ),
    ]);

  return {
    name,
    child,
    output: () => output,
    exited,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      try {
        return await exited(graceMs);
      } catch {
        child.kill('SIGKILL');
        return exit;
      }
    },
  };
}

/** Polls `url` until it answers `status`; fails with the last answer (and the process output) at the deadline. */
export async function waitForHttp(
  url: string,
  status: number,
  timeoutMs: number,
  describe?: () => string,
): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === status) return response;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})${describe ? `\n${describe()}` : ''}`,
  );
}
