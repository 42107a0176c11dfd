import { defineErrorTable } from '../errors.ts';

/** Every stable error code of the notifications service, with its kind and default message. */
export const notificationsErrors = defineErrorTable({
  NOTIFICATION_NOT_FOUND: { kind: 'not_found', message: 'No such notification.' },
  NOTIFICATION_RECIPIENT_REQUIRED: {
    kind: 'forbidden',
    message: 'Only a signed-in staff user or contact has a bell.',
  },
});
export type NotificationsErrorCode = keyof typeof notificationsErrors;
