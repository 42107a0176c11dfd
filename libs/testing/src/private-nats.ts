import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { ensureNatsServer } from '@portal/deploy/local/install';
import { freePort } from './processes.ts';

export interface PrivateNats {
  url: string;
  /** SIGKILL: the server dies as in a crash, JetStream data stays on disk. */
  kill(): Promise<void>;
  /** Starts again on the same port with the same JetStream store. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A NATS server (JetStream on) owned by one test, for fault tests that kill and restart it
 * without disturbing the shared stack other suites use.
 */
export async function startPrivateNats(): Promise<PrivateNats> {
  const { path } = await ensureNatsServer(() => undefined);
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'portal-nats-'));
  const url = `nats://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;

  const start = async () => {
    server = spawn(path, ['-js', '-sd', storeDir, '-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        const probe = await connect({ servers: url, timeout: 1_000, reconnect: false });
        await probe.close();
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`private NATS did not start at ${url}: ${(error as Error).message}`, { cause: error });
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };
  const kill = async () => {
    const running = server;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };

  await start();
  return {
    url,
    kill,
    restart: start,
    async close() {
      await kill();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
