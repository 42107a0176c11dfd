import { runServiceProcess } from '@portal/kit';
import { notificationsModule } from './notifications.module.ts';

await runServiceProcess('notifications', [notificationsModule]);
