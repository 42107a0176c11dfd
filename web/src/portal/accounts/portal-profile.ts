import type { ActionResult } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';

/** The signed-in contact as `/portal/me` answers: name, e-mail, the accounts it reaches, scope, MFA. */
export type PortalProfile = ActionResult<'identity.getPortalProfile'>;
export type PortalAccount = PortalProfile['accounts'][number];

/** One query for the header's account switcher, the projects' account names and the profile screen. */
export const portalProfileQuery = () => ({ ...actionQuery('identity.getPortalProfile', {}), staleTime: 60_000 });
