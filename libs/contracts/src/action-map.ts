import type { z } from 'zod';
import { statusAction } from './common/status.ts';
import { directoryActions } from './directory/actions.ts';
import { directoryPortalActions } from './directory/portal-actions.ts';
import { documentsActions } from './documents/actions.ts';
import { documentsPortalActions } from './documents/portal-actions.ts';
import { identityActions } from './identity/actions.ts';
import { notificationsActions } from './notifications/actions.ts';
import { notificationsEmailActions } from './notifications/email.ts';
import { submittalsActions } from './submittals/actions.ts';
import { submittalsPortalActions } from './submittals/portal-actions.ts';

/**
 * Every action any service publishes, by its full Moleculer name. Callers go through the kit's
 * typed `call`, which validates params before sending and results on arrival.
 */
export const actionContracts = {
  'gateway.status': statusAction,
  'identity.status': statusAction,
  'directory.status': statusAction,
  'documents.status': statusAction,
  'submittals.status': statusAction,
  'notifications.status': statusAction,
  ...directoryActions,
  ...directoryPortalActions,
  ...identityActions,
  ...documentsActions,
  ...documentsPortalActions,
  ...notificationsActions,
  ...notificationsEmailActions,
  ...submittalsActions,
  ...submittalsPortalActions,
} as const;

export type ActionMap = typeof actionContracts;
export type ActionName = keyof ActionMap;
/** What a caller sends (defaults may be omitted). */
export type ActionParams<A extends ActionName> = z.input<ActionMap[A]['params']>;
/** What a handler receives: the params after validation, defaults filled in. */
export type ActionArgs<A extends ActionName> = z.output<ActionMap[A]['params']>;
export type ActionResult<A extends ActionName> = z.output<ActionMap[A]['result']>;
