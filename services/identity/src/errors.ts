import { identityErrors } from '@portal/contracts';
import { errorFactoryOf } from '@portal/kit';

/** The identity service's errors, by code: the kind and default message come from its error table. */
export const identityError = errorFactoryOf(identityErrors);
