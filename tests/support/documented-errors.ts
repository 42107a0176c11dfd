import type { AnsweredRequest } from '@portal/testing';

type Responses = Record<string, { content?: Record<string, { schema?: { allOf?: unknown[] } }> }>;
interface OpenApi {
  paths: Record<string, Record<string, { responses: Responses }>>;
}

/** The `code` values the OpenAPI document allows for one operation and status. */
function documentedCodes(document: OpenApi, method: string, path: string, status: number): string[] | undefined {
  const template = Object.keys(document.paths).find((candidate) =>
    new RegExp(`^${candidate.replace(/\{\w+\}/g, '[^/]+')}$`).test(path),
  );
  const operation = template ? document.paths[template]?.[method.toLowerCase()] : undefined;
  const narrowed = operation?.responses[String(status)]?.content?.['application/json']?.schema?.allOf?.[1] as
    { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } } | undefined;
  return narrowed?.properties?.error?.properties?.code?.enum;
}

/**
 * The error answers of a suite that its OpenAPI document does not declare (status or code), as
 * readable lines: what an integrator would be surprised by.
 */
export function undocumentedErrors(document: OpenApi, answered: readonly AnsweredRequest[]): string[] {
  return answered.flatMap(({ method, path, status, code }) => {
    if (status < 400 || !/^\/(admin|portal|public)\//.test(path) || status === 405) return [];
    const allowed = documentedCodes(document, method, path, status);
    return allowed?.includes(code ?? '') ? [] : [`${method} ${path} → ${status} ${code ?? '(no code)'}`];
  });
}
