import type { IncomingMessage, ServerResponse } from 'node:http';
import type moleculer from 'moleculer';
import ApiGateway, { type ApiSettingsSchema } from 'moleculer-web';
import { statusActionOf, type ReadinessCheck } from '@portal/kit';
import { toErrorResponse } from './http/error-response.ts';
import { assignRequestId, requestIdOf } from './http/request-id.ts';
import { setSecurityHeaders } from './http/security-headers.ts';
import { collectSystemStatus } from './system-status.ts';
import { serviceVersion } from './version.ts';

export interface GatewaySettings {
  host: string;
  port: number;
  bodyLimit: string;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(body));
}

/** The only HTTP surface: the REST API under /api/v1 (admin and portal routes arrive with their issues). */
export function gatewayService(
  settings: GatewaySettings,
  readiness: Record<string, ReadinessCheck>,
): moleculer.ServiceSchema {
  // moleculer-web's settings type lives beside the ServiceSchema one; checked here, widened below.
  const apiSettings: ApiSettingsSchema = {
    port: settings.port,
    ip: settings.host,
    use: [assignRequestId, setSecurityHeaders],
    routes: [
      {
        path: '/api/v1',
        mappingPolicy: 'restrict',
        bodyParsers: {
          json: { limit: settings.bodyLimit, strict: true },
          urlencoded: false,
        },
        aliases: {
          async 'GET status'(this: moleculer.Service, request: IncomingMessage, response: ServerResponse) {
            const status = await collectSystemStatus(this.broker);
            sendJson(response, status.status === 'ok' ? 200 : 503, status);
          },
        },
      },
    ],
    onError(request: IncomingMessage, response: ServerResponse, error: Error) {
      const { status, body } = toErrorResponse(error, requestIdOf(request));
      if (status >= 500) (this as unknown as moleculer.Service).logger.error('request failed', error);
      sendJson(response, status, body);
    },
  };
  return {
    name: 'gateway',
    mixins: [ApiGateway],
    settings: apiSettings as moleculer.ServiceSettingSchema,
    actions: {
      status: statusActionOf('gateway', readiness, serviceVersion),
    },
  };
}
