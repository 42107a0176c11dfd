import { notificationsErrors } from '@portal/contracts';
import { errorFactoryOf } from '@portal/kit';

/** The notifications service's errors, by code: the kind and default message come from its error table. */
export const notificationsError = errorFactoryOf(notificationsErrors);
