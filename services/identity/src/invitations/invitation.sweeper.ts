import type moleculer from 'moleculer';
import type { ServiceOrm } from '@portal/kit';
import type { AccessOperations } from '../access/access-operations.ts';
import { expiredPendingInvitations, livePendingInvitations } from './invitation.repository.ts';

const system = { actor: { kind: 'system', component: 'identity.invitation-sweeper' } as const, traceId: null };

/**
 * Every `intervalMs`: pending invitations whose link was used become accepted (the contact's
 * access enabled), and those past their expiry are closed, their login disabled and the contact
 * returned to `none` (`identity.invitation.expired`). Each invitation in its own transaction,
 * rows locked with SKIP LOCKED, so several replicas share the work.
 */
export function startInvitationSweeper(options: {
  orm: ServiceOrm;
  broker: moleculer.ServiceBroker;
  operations: AccessOperations;
  intervalMs: number;
  logger: { warn(obj: unknown, msg?: string): void };
}): { sweep(): Promise<void>; stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const batch = 50;
  const sweepOnce = async () => {
    for (const expire of [true, false]) {
      const found = await options.orm.em
        .fork()
        .transactional((em) =>
          (expire ? expiredPendingInvitations : livePendingInvitations)(em, batch).then((rows) =>
            rows.map((r) => r.id),
          ),
        );
      for (const id of found) {
        await options.orm.em
          .fork()
          .transactional(async (em) => {
            const rows = await (expire ? expiredPendingInvitations : livePendingInvitations)(em, batch);
            const pending = rows.find((row) => row.id === id);
            if (!pending) return;
            if (expire) await options.operations.expireInvitation(options.broker, system, pending, em);
            else await options.operations.acceptIfUsed(options.broker, pending, em);
          })
          .catch((error: unknown) =>
            options.logger.warn({ err: error, invitation: id }, 'invitation sweep step failed'),
          );
      }
    }
  };
  const sweep = () => {
    running ??= sweepOnce().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    void sweep().catch((error: unknown) => options.logger.warn({ err: error }, 'invitation sweep failed'));
  }, options.intervalMs);
  timer.unref();
  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
