import { runServiceProcess } from '@portal/kit';
import { directoryModule } from './directory.module.ts';

await runServiceProcess('directory', [directoryModule]);
