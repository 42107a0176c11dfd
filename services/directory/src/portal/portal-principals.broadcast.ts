import type moleculer from 'moleculer';
import {
  portalPrincipalsChangedEvent,
  portalPrincipalsChangedSchema,
  type PortalPrincipalsChanged,
} from '@portal/contracts';

/**
 * Tells every gateway replica to drop the portal principals a committed change may have made
 * stale: a contact's access, e-mail, scope or archive state, a login's link, an account's archive.
 * A plain broadcast (cache invalidation only, DESIGN rule 3): if one is lost, the gateway's cache
 * lifetime bounds the staleness, and revocation has its own list. Call it after the commit.
 */
export function announcePortalPrincipalChange(ctx: moleculer.Context, change: PortalPrincipalsChanged): void {
  const payload = portalPrincipalsChangedSchema.parse(change);
  const identityUserIds = payload.identityUserIds.filter((id, index, all) => all.indexOf(id) === index);
  Promise.resolve(ctx.broadcast(portalPrincipalsChangedEvent, { ...payload, identityUserIds })).catch(
    (error: unknown) => ctx.service?.logger.warn(`${portalPrincipalsChangedEvent} not broadcast`, error),
  );
}
