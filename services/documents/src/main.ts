import { runServiceProcess } from '@portal/kit';
import { documentsModule } from './documents.module.ts';

await runServiceProcess('documents', [documentsModule]);
