import type { CallerMeta, EventOrigin } from '@portal/kit';

/** The envelope's who, from where and in which request: the caller's, so consumers can audit it. */
export function originOf(caller: CallerMeta, accountId: string | null = null): EventOrigin {
  return { actor: caller.actor, accountId, requestId: caller.requestId, sourceAddress: caller.sourceIp };
}
