import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import moleculer from 'moleculer';
import ApiGateway from 'moleculer-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpMetricsSink } from '@portal/kit';
import { requestMetrics, routeTemplateOf } from '../../src/http/request-metrics.ts';

interface Observation {
  route: string;
  method: string;
  status: number;
  seconds: number | undefined;
}

/** A sink that keeps what it is told, waiting for the response's `close` that reports it. */
function recordingSink() {
  const observations: Observation[] = [];
  const sink: HttpMetricsSink = {
    observeRequest: (route, method, status, seconds) => observations.push({ route, method, status, seconds }),
    reportSseConnections: () => () => undefined,
  };
  const next = async (count: number) => {
    for (let waited = 0; observations.length < count && waited < 2_000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return observations.slice(0, count);
  };
  return { sink, observations, next };
}

describe('request metrics on moleculer-web', () => {
  const recorder = recordingSink();
  const broker = new moleculer.ServiceBroker({ logger: false });
  let baseUrl: string;

  beforeAll(async () => {
    broker.createService({
      name: 'api',
      mixins: [ApiGateway],
      settings: {
        port: 0,
        ip: '127.0.0.1',
        use: [requestMetrics(recorder.sink)],
        routes: [
          {
            name: 'staff',
            path: '/api/v1/admin',
            mappingPolicy: 'restrict',
            use: [
              // Like the auth middleware: refuses before moleculer-web matches the alias.
              (request: IncomingMessage, response: ServerResponse, next: () => void) => {
                if (request.headers.authorization) return next();
                response.statusCode = 401;
                response.end();
              },
            ],
            aliases: {
              'GET accounts/:accountId'(_request: IncomingMessage, response: ServerResponse) {
                response.end('{}');
              },
              'GET bell/stream'(_request: IncomingMessage, response: ServerResponse) {
                response.setHeader('content-type', 'text/event-stream');
                response.end(': ping\n\n');
              },
            },
          },
          // Like the gateway's pages route: every other path ends here (so every request has a route).
          { name: 'pages', path: '/', mappingPolicy: 'restrict', aliases: {} },
        ],
      },
    });
    await broker.start();
    const server = (broker.getLocalService('api') as unknown as { server: Server }).server;
    const address = server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => broker.stop());

  it('labels a request with the alias template, never the path with its ids, and times it', async () => {
    recorder.observations.length = 0;
    for (const id of ['a-1', 'b-2']) {
      const response = await fetch(`${baseUrl}/api/v1/admin/accounts/${id}`, { headers: { authorization: 'x' } });
      await response.text();
    }
    const [first, second] = await recorder.next(2);
    expect(first).toMatchObject({ route: '/api/v1/admin/accounts/:accountId', method: 'GET', status: 200 });
    expect(second?.route).toBe('/api/v1/admin/accounts/:accountId');
    expect(first?.seconds).toBeGreaterThan(0);
  });

  it("counts a refusal before moleculer-web records the alias under the alias's template all the same", async () => {
    recorder.observations.length = 0;
    await (await fetch(`${baseUrl}/api/v1/admin/accounts/a-1/`)).text();
    expect((await recorder.next(1))[0]).toMatchObject({
      route: '/api/v1/admin/accounts/:accountId',
      method: 'GET',
      status: 401,
    });
  });

  it('counts a path under a route that names no alias under the prefix, and an unknown method as OTHER', async () => {
    recorder.observations.length = 0;
    await (await fetch(`${baseUrl}/api/v1/admin/no/such/thing/123`)).text();
    await (await fetch(`${baseUrl}/api/v1/admin/accounts/a-1`, { method: 'PROPFIND' })).text();
    const observed = await recorder.next(2);
    expect(observed[0]).toMatchObject({ route: '/api/v1/admin/*', method: 'GET', status: 401 });
    expect(observed[1]).toMatchObject({ route: '/api/v1/admin/*', method: 'OTHER', status: 401 });
  });

  it('counts any other path under the catch-all route, whatever it holds', async () => {
    recorder.observations.length = 0;
    await (await fetch(`${baseUrl}/wp-login.php?id=123`)).text();
    expect((await recorder.next(1))[0]).toMatchObject({ route: '/*', status: 404 });
  });

  it('counts an event stream without timing it', async () => {
    recorder.observations.length = 0;
    await (await fetch(`${baseUrl}/api/v1/admin/bell/stream`, { headers: { authorization: 'x' } })).text();
    expect((await recorder.next(1))[0]).toEqual({
      route: '/api/v1/admin/bell/stream',
      method: 'GET',
      status: 200,
      seconds: undefined,
    });
  });
});

describe('routeTemplateOf', () => {
  it('prefers the alias, then the route prefix', () => {
    const request = (fields: object) => fields as IncomingMessage;
    expect(routeTemplateOf(request({ $alias: { fullPath: '/api/v1/portal/projects/:projectId' } }))).toBe(
      '/api/v1/portal/projects/:projectId',
    );
    expect(routeTemplateOf(request({ $route: { path: '/' } }))).toBe('/*');
    expect(routeTemplateOf(request({}))).toBe('unmatched');
  });
});
