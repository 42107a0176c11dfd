// One durable consumer process, declared through the typed API (`defineConsumer` over the proof's
// own event contract); its handler counts applications per event. Runs until killed.
import { connect } from 'nats';
import { z } from 'zod';
import { defineEvent } from '@portal/contracts';
import { proofEnv, proofLogger } from './proof-env.fixture.ts';
import { createServiceOrm, defineConsumerFor, startConsumer } from '@portal/kit';

const env = proofEnv();
const orm = await createServiceOrm({ schema: env.schema, databaseUrl: env.databaseUrl, migrations: [], poolMax: 2 });
const nats = await connect({ ...env.nats, name: 'proof-consumer' });

// CRASH_AFTER_COMMIT_OF=<n>: die by SIGKILL right after the transaction applying event n commits,
// before its ack leaves: the one window only the inbox can make safe.
const crashAfterCommitOf =
  process.env.CRASH_AFTER_COMMIT_OF === undefined ? undefined : Number(process.env.CRASH_AFTER_COMMIT_OF);
let crashArmed = false;
orm.em.getEventManager().registerSubscriber({
  afterTransactionCommit() {
    if (crashArmed) process.kill(process.pid, 'SIGKILL');
  },
});

const widgetCreated = `${env.service}.widget.created`;
const proofEvents = {
  [widgetCreated]: defineEvent({
    version: 1,
    description: 'A proof widget was created.',
    data: z.object({ widgetId: z.string(), n: z.int().nonnegative() }),
  }),
};

const definition = defineConsumerFor(proofEvents)({
  durableName: env.durableName,
  events: [widgetCreated],
  // Short, so messages held by a killed consumer come back quickly.
  ackWaitMs: 2000,
  backoffMs: [100],
  async handle(event, em) {
    // `times` > 1 would mean an event was applied twice.
    await em.execute(
      'insert into applied (event_id, times) values (?, 1) on conflict (event_id) do update set times = applied.times + 1',
      [event.id],
    );
    if (crashAfterCommitOf !== undefined && event.data.n === crashAfterCommitOf) crashArmed = true;
  },
});
const consumer = await startConsumer(definition, { orm, nats, logger: proofLogger });
process.once('SIGTERM', async () => {
  await consumer.stop();
  await nats.close();
  await orm.close();
});
