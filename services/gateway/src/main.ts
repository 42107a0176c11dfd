import { runServiceProcess } from '@portal/kit';
import { gatewayModule } from './gateway.module.ts';

await runServiceProcess('gateway', [gatewayModule]);
