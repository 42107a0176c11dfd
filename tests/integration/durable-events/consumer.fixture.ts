// One durable consumer process; its handler counts applications per event. Runs until killed.
import { connect } from 'nats';
import { createServiceOrm } from '../../../libs/kit/src/orm/service-orm.ts';
import { startDurableConsumer, streamNameOf } from '../../../libs/kit/src/durable/index.ts';
import { proofEnv, proofLogger } from './proof-env.fixture.ts';

const env = proofEnv();
const orm = await createServiceOrm({ schema: env.schema, databaseUrl: env.databaseUrl, migrations: [], poolMax: 2 });
const nats = await connect({ servers: env.natsUrl, name: 'proof-consumer' });

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

const consumer = await startDurableConsumer({
  orm,
  nats,
  stream: streamNameOf(env.service),
  durableName: env.durableName,
  filterSubjects: [`${env.service}.widget.created`],
  logger: proofLogger,
  // Short, so messages held by a killed consumer come back quickly.
  ackWaitMs: 2000,
  backoffMs: [100],
  async handle(envelope, em) {
    // `times` > 1 would mean an event was applied twice.
    await em.execute(
      'insert into applied (event_id, times) values (?, 1) on conflict (event_id) do update set times = applied.times + 1',
      [envelope.id],
    );
    if (crashAfterCommitOf !== undefined && (envelope.data as { n?: number }).n === crashAfterCommitOf)
      crashArmed = true;
  },
});
process.once('SIGTERM', async () => {
  await consumer.stop();
  await nats.close();
  await orm.close();
});
