import { documentsErrors } from '@portal/contracts';
import { errorFactoryOf } from '@portal/kit';

/** The documents service's errors, by code: the kind and default message come from its error table. */
export const documentsError = errorFactoryOf(documentsErrors);
