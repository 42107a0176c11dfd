import type moleculer from 'moleculer';
import {
  notificationCreatedSignal,
  notificationsReadSignal,
  type NotificationCreatedSignal,
  type NotificationsReadSignal,
} from '@portal/contracts';

/**
 * Tells every gateway replica what the bell just committed, so each writes it to the recipient's
 * open streams. Plain broadcasts: a lost one is recovered by the stream's replay on reconnect.
 */
export interface BellSignals {
  created(written: readonly NotificationCreatedSignal[]): void;
  read(signal: NotificationsReadSignal): void;
}

export function bellSignalsOf(broker: moleculer.ServiceBroker, logger: moleculer.Logger): BellSignals {
  const send = (event: string, payload: unknown) => {
    Promise.resolve(broker.broadcast(event, payload)).catch((error: Error) => {
      logger.warn(`broadcasting ${event} failed (streams catch up on reconnect): ${error.message}`);
    });
  };
  return {
    created(written) {
      for (const signal of written) send(notificationCreatedSignal, signal);
    },
    read(signal) {
      send(notificationsReadSignal, signal);
    },
  };
}
