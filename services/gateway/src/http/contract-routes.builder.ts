import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import type moleculer from 'moleculer';
import { actionContracts, type ActionName, type HttpBinding } from '@portal/contracts';
import { call, type CallerMeta } from '@portal/kit';
import { limitedCsvStream, mediaTypeOf, readJsonObject, readOneClickForm } from './request-body.ts';
import { apiPrefix, assembleParams, readsQuery, refuseUnknownBodyFields } from './request-params.ts';
import { requestIdOf } from './request-id.ts';
import type { RequestWithClientAddress } from './client-address.ts';

/** One HTTP-bound action. */
export interface ContractRoute {
  action: ActionName;
  binding: HttpBinding;
}

/** Every action bound to HTTP for an audience, from the contracts (the one source of routes). */
export function contractRoutesFor(
  audience: HttpBinding['audience'],
  contracts: Readonly<Record<string, { http?: HttpBinding }>> = actionContracts,
): ContractRoute[] {
  return Object.entries(contracts).flatMap(([action, contract]) =>
    contract.http?.audience === audience ? [{ action: action as ActionName, binding: contract.http }] : [],
  );
}

/** Where an audience's routes live under `/api/v1`; each audience has its own authentication. */
export function audiencePrefix(audience: HttpBinding['audience']): string {
  switch (audience) {
    case 'staff':
      return '/admin';
    case 'portal':
      return '/portal';
    case 'public':
      return '/public';
  }
}

export interface ContractHandlerOptions {
  jsonBodyLimitBytes: number;
  csvBodyLimitBytes: number;
  /** A CSV upload may take longer than an ordinary call. */
  csvCallTimeoutMs: number;
  /** Checks the authenticated caller may use this binding and says who it is (throws 401/403). */
  authorize(request: IncomingMessage, binding: HttpBinding): CallerMeta['actor'];
}

type AliasHandler = (
  this: moleculer.Service,
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: Error) => void,
) => void;

/**
 * moleculer-web aliases (`METHOD /relative/path`, relative to the audience's route) for every
 * contract route of the audience. Each handler authorizes, assembles params from the request,
 * calls the action through the typed `call` (params and result validated against the contract)
 * with the caller in `meta`, and answers `successStatus` with JSON or CSV.
 */
export function contractAliases(
  audience: HttpBinding['audience'],
  options: ContractHandlerOptions,
  contracts?: Readonly<Record<string, { http?: HttpBinding }>>,
): Record<string, AliasHandler> {
  const prefix = audiencePrefix(audience);
  const aliases: Record<string, AliasHandler> = {};
  for (const route of contractRoutesFor(audience, contracts)) {
    const { method, path } = route.binding;
    if (!path.startsWith(`${prefix}/`)) {
      throw new Error(`${route.action}: a ${audience} route must live under ${apiPrefix}${prefix} (got ${path})`);
    }
    const key = `${method} ${path.slice(prefix.length)}`;
    if (aliases[key]) throw new Error(`${route.action}: ${method} ${path} is bound twice`);
    aliases[key] = function (request, response, next) {
      serveContractRoute(this, route, options, request, response).catch((error: unknown) =>
        next(error instanceof Error ? error : new Error(String(error))),
      );
    };
  }
  return aliases;
}

interface MoleculerWebRequest extends RequestWithClientAddress {
  originalUrl?: string;
  $ctx?: moleculer.Context;
}

async function serveContractRoute(
  service: moleculer.Service,
  { action, binding }: ContractRoute,
  options: ContractHandlerOptions,
  request: MoleculerWebRequest,
  response: ServerResponse,
): Promise<void> {
  const actor = options.authorize(request, binding);
  const url = new URL(request.originalUrl ?? request.url ?? '/', 'http://gateway.invalid');
  const meta: CallerMeta = { actor, requestId: requestIdOf(request), sourceIp: request.clientAddress ?? null };
  const caller = request.$ctx ?? service.broker;

  let result: unknown;
  if (binding.body === 'csv') {
    // The upload streams through to the action (Moleculer streams over NATS); path params ride along.
    const params = assembleParams(binding, { pathname: url.pathname, search: '', body: {} });
    const upload = limitedCsvStream(request, options.csvBodyLimitBytes);
    const answer = call(caller, action, params as never, {
      meta,
      stream: upload.stream,
      timeout: options.csvCallTimeoutMs,
    });
    answer.catch(() => {}); // the race below reports whichever fails first
    result = await Promise.race([answer, upload.exceeded]);
  } else {
    const body = readsQuery(binding.method)
      ? {}
      : binding.body === 'one-click' && mediaTypeOf(request) === 'application/x-www-form-urlencoded'
        ? await readOneClickForm(request, options.jsonBodyLimitBytes)
        : await readJsonObject(request, options.jsonBodyLimitBytes);
    refuseUnknownBodyFields(actionContracts[action].params, body);
    const params = assembleParams(binding, { pathname: url.pathname, search: url.search, body });
    result = await call(caller, action, params as never, { meta });
  }

  response.statusCode = binding.successStatus ?? 200;
  if (binding.response === 'csv') {
    sendCsv(service, action, result, response);
  } else if (response.statusCode === 204 || result === undefined) {
    response.end();
  } else {
    response.setHeader('content-type', 'application/json; charset=utf-8');
    response.end(JSON.stringify(result));
  }
}

const isReadable = (value: unknown): value is NodeJS.ReadableStream =>
  typeof value === 'object' && value !== null && typeof (value as NodeJS.ReadableStream).pipe === 'function';

/** `directory.exportContacts` → `export-contacts-2026-01-31.csv`. */
export function csvFileNameOf(action: string, at: Date = new Date()): string {
  const name = (action.split('.').at(-1) ?? action).replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  return `${name}-${at.toISOString().slice(0, 10)}.csv`;
}

function sendCsv(service: moleculer.Service, action: string, result: unknown, response: ServerResponse): void {
  if (!isReadable(result) && typeof result !== 'string') {
    throw new Error(`${action} answered ${typeof result} where a CSV stream was expected`);
  }
  response.setHeader('content-type', 'text/csv; charset=utf-8');
  response.setHeader('content-disposition', `attachment; filename="${csvFileNameOf(action)}"`);
  if (typeof result === 'string') {
    response.end(result);
    return;
  }
  pipeline(result, response, (error) => {
    // Headers are gone by now: all that is left is cutting the download short so it is not taken as whole.
    if (error) service.logger.warn(`CSV stream of ${action} failed`, error.message);
  });
}
