import { runServiceProcess } from '@portal/kit';
import { submittalsModule } from './submittals.module.ts';

await runServiceProcess('submittals', [submittalsModule]);
