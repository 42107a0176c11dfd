import type { CallerMeta, EventOrigin } from '@portal/kit';

/** The envelope's who, from where and in which request: the caller's, so consumers can audit it. */
export function originOf(caller: CallerMeta, accountId: string | null = null): EventOrigin {
  return { actor: caller.actor, accountId, requestId: caller.requestId, sourceAddress: caller.sourceIp };
}

/** `{ field: { from, to } }` for the fields whose JSON values differ. */
export function changedFields<T extends Record<string, unknown>>(
  before: T | null,
  after: T,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    const from = before ? before[key] : null;
    if (JSON.stringify(from) !== JSON.stringify(after[key])) changes[key] = { from, to: after[key] };
  }
  return changes;
}
