import { directoryErrors } from '@portal/contracts';
import { errorFactoryOf } from '@portal/kit';

/** The directory's errors, by code: the kind and default message come from its error table. */
export const directoryError = errorFactoryOf(directoryErrors);
