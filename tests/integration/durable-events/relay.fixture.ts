// One outbox relay process; runs until killed.
import { connect } from 'nats';
import { proofEnv, proofLogger } from './proof-env.fixture.ts';
import { createServiceOrm, startOutboxRelay } from '@portal/kit';

const env = proofEnv();
const orm = await createServiceOrm({ schema: env.schema, databaseUrl: env.databaseUrl, migrations: [], poolMax: 2 });
const nats = await connect({ ...env.nats, name: 'proof-relay' });
const relay = await startOutboxRelay({
  orm,
  nats,
  service: env.service,
  logger: proofLogger,
  databaseUrl: env.databaseUrl,
  batchSize: 50,
  pollIntervalMs: 500,
});
process.once('SIGTERM', async () => {
  await relay.stop();
  await nats.close();
  await orm.close();
});
