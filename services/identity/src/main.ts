import { runServiceProcess } from '@portal/kit';
import { identityModule } from './identity.module.ts';

await runServiceProcess('identity', [identityModule]);
