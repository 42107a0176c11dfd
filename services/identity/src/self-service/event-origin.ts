import type { Actor } from '@portal/contracts';
import type { CallerMeta, EventOrigin } from '@portal/kit';

/** Who caused an identity event, from where and in which request: the directory's audit trail reads it. */
export function eventOriginOf(
  caller: CallerMeta,
  accountId: string | null = null,
  actor: Actor = caller.actor,
): EventOrigin {
  return {
    actor,
    traceId: caller.requestId,
    requestId: caller.requestId,
    sourceAddress: caller.sourceIp,
    accountId,
  };
}
