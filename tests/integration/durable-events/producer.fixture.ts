// Commits EVENT_COUNT business rows, each with its event in the same transaction, then exits.
import { setTimeout as sleep } from 'node:timers/promises';
import { proofEnv } from './proof-env.fixture.ts';
import { appendToOutbox, createEnvelope, createServiceOrm } from '@portal/kit';

const env = proofEnv();
const perTransaction = 20;
const orm = await createServiceOrm({ schema: env.schema, databaseUrl: env.databaseUrl, migrations: [], poolMax: 2 });
for (let first = 0; first < env.eventCount; first += perTransaction) {
  await orm.em.fork().transactional(async (tx) => {
    for (let n = first; n < Math.min(first + perTransaction, env.eventCount); n += 1) {
      const widgetId = `widget-${n}`;
      await tx.execute('insert into widget (id, n) values (?, ?)', [widgetId, n]);
      await appendToOutbox(
        tx,
        createEnvelope({
          type: `${env.service}.widget.created`,
          version: 1,
          data: { widgetId, n },
          actor: { kind: 'system', component: 'proof-producer' },
        }),
      );
    }
  });
  // Spread the load so the relay and consumer are killed while events still flow.
  await sleep(15);
}
await orm.close();
