import { runServiceProcess } from '@portal/kit';
import { directoryModule } from '@portal/directory';
import { documentsModule } from '@portal/documents';
import { gatewayModule } from '@portal/gateway';
import { identityModule } from '@portal/identity';
import { notificationsModule } from '@portal/notifications';
import { submittalsModule } from '@portal/submittals';

// The gateway goes last so HTTP opens only when the services behind it are registered.
await runServiceProcess('all-in-one', [
  identityModule,
  directoryModule,
  documentsModule,
  submittalsModule,
  notificationsModule,
  gatewayModule,
]);
