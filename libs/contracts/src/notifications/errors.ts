import { defineErrorTable } from '../errors.ts';

/** Every stable error code of the notifications service, with its kind and default message. */
export const notificationsErrors = defineErrorTable({
  NOTIFICATION_NOT_FOUND: { kind: 'not_found', message: 'No such notification.' },
  NOTIFICATION_RECIPIENT_REQUIRED: {
    kind: 'forbidden',
    message: 'Only a signed-in staff user or contact has a bell.',
  },
  // ---- e-mail: unsubscribe links and templates ----
  UNSUBSCRIBE_TOKEN_INVALID: {
    kind: 'bad_request',
    message: 'This unsubscribe link is not valid; use the link of a recent e-mail or your notification settings.',
  },
  EMAIL_TEMPLATE_NOT_FOUND: { kind: 'not_found', message: 'No such e-mail template.' },
  EMAIL_TEMPLATE_DATA_INVALID: {
    kind: 'bad_request',
    message: 'The template cannot be rendered with these values (one it uses is missing).',
  },
});
export type NotificationsErrorCode = keyof typeof notificationsErrors;
