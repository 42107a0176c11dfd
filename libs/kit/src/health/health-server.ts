import { createServer, type Server } from 'node:http';

/** A named readiness check: resolves when the dependency answers, rejects (or times out) when not. */
export type ReadinessCheck = () => Promise<void>;

export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

const checkTimeoutMs = 2_000;

async function runCheck(check: ReadinessCheck): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), checkTimeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

export async function evaluateReadiness(
  checks: Readonly<Record<string, ReadinessCheck>>,
): Promise<{ ready: boolean; checks: Record<string, 'up' | 'down'> }> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await runCheck(check)] as const),
  );
  return { ready: entries.every(([, state]) => state === 'up'), checks: Object.fromEntries(entries) };
}

/**
 * Kubernetes probes for one process: `/healthz` (liveness: the event loop answers) and `/readyz`
 * (readiness: every dependency check passes, else 503 with which one failed), and `/metrics` for
 * Prometheus when given. Kept off the gateway's public port on purpose.
 */
export async function startHealthServer(options: {
  host: string;
  port: number;
  checks: Readonly<Record<string, ReadinessCheck>>;
  /** `GET /metrics`: the process's Prometheus text exposition, on the probes' port. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
}): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'GET') return send(405, { status: 'method not allowed' });
    if (request.url === '/healthz') return send(200, { status: 'ok' });
    if (request.url === '/readyz') {
      void evaluateReadiness(options.checks).then((result) =>
        send(result.ready ? 200 : 503, { status: result.ready ? 'ready' : 'not ready', checks: result.checks }),
      );
      return;
    }
    if (request.url === '/metrics' && options.metrics) {
      options.metrics().then(
        ({ contentType, body }) => {
          response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
          response.end(body);
        },
        () => send(500, { status: 'metrics unavailable' }),
      );
      return;
    }
    send(404, { status: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
