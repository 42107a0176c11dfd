import type moleculer from 'moleculer';
import { actorSchema, type Actor } from '@portal/contracts';

/** What the gateway (or a calling service) says about who is acting, carried in `ctx.meta`. */
export interface CallerMeta {
  actor: Actor;
  requestId: string | null;
  sourceIp: string | null;
}

/**
 * Reads the caller from `ctx.meta`. A call without an actor comes from inside the system (another
 * service, a job); it is recorded as such rather than guessed.
 */
export function callerOf(ctx: moleculer.Context): CallerMeta {
  const meta = (ctx.meta ?? {}) as Record<string, unknown>;
  const actor = actorSchema.safeParse(meta.actor);
  return {
    actor: actor.success ? actor.data : { kind: 'system', component: ctx.caller ?? 'internal' },
    requestId: typeof meta.requestId === 'string' ? meta.requestId : null,
    sourceIp: typeof meta.sourceIp === 'string' ? meta.sourceIp : null,
  };
}
