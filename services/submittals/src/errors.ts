import { submittalsErrors } from '@portal/contracts';
import { errorFactoryOf } from '@portal/kit';

/** The submittals service's errors, by code: the kind and default message come from its error table. */
export const submittalsError = errorFactoryOf(submittalsErrors);
