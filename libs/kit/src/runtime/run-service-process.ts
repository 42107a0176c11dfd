import { hostname } from 'node:os';
import { connect, type NatsConnection } from 'nats';
import { z } from 'zod';
import {
  databaseUrlKey,
  loadConfigOrExit,
  logLevel,
  postgresUrl,
  processEnvRules,
  processEnvSchema,
} from '@portal/config';
import { createBroker } from '../broker/create-broker.ts';
import { natsConnectionOptions, natsSettingsOf } from '../broker/nats-client.ts';
import { startHealthServer, type ReadinessCheck } from '../health/health-server.ts';
import { createProcessMetrics } from '../observability/process-metrics.ts';
import { startTracing } from '../observability/tracing.ts';
import { createServiceOrm, migrateToLatest } from '../orm/service-orm.ts';
import type { ServiceInstance, ServiceModule } from './service-module.ts';
import { durableSettingsOf } from './service-store.ts';

export interface RunningProcess {
  stop(): Promise<void>;
}

/**
 * The whole life of a service process: validate the environment once (every module's variables
 * plus the shared ones), connect, build each module, start the broker, then serve health probes.
 * SIGINT/SIGTERM stop in reverse order: probes, broker (drains in-flight calls), modules, NATS.
 */
export async function runServiceProcess(
  processName: string,
  modules: readonly ServiceModule[],
): Promise<RunningProcess> {
  if (process.argv.includes('--migrate-only')) {
    await migrateSchemas(processName, modules);
    process.exit(0);
  }
  const envSchema = modules
    .reduce<z.ZodObject>((schema, module) => schema.extend(module.env.shape), processEnvSchema)
    .superRefine(processEnvRules);
  const env = loadConfigOrExit(envSchema) as z.output<typeof processEnvSchema> & Record<string, unknown>;
  const nodeID = env.NODE_ID ?? `${processName}-${hostname()}-${process.pid}`;
  // Before the broker: its middleware and the ORM's SQL spans depend on whether tracing is on.
  const tracing = startTracing(processName, nodeID, env);

  const metrics = createProcessMetrics();
  const natsSettings = natsSettingsOf(env);
  const broker = createBroker({
    nodeID,
    ...natsSettings,
    namespace: env.MOLECULER_NAMESPACE,
    logLevel: env.LOG_LEVEL,
    middlewares: [metrics.actionMiddleware],
  });
  const logger = broker.getLogger('process', { name: processName });
  logger.info(tracing.description);

  let nats: NatsConnection;
  try {
    nats = await connect({ ...natsConnectionOptions(natsSettings), name: `${nodeID}-jetstream`, timeout: 5_000 });
  } catch (error) {
    // The URL never carries credentials (the config refuses them), so it is safe to print.
    const as = natsSettings.natsCredentials ? ` as ${natsSettings.natsCredentials.user}` : ' without credentials';
    logger.fatal(`NATS is not reachable at ${env.NATS_URL}${as}: ${(error as Error).message}`);
    process.exit(69);
  }

  const durable = { ...durableSettingsOf(env), metrics };
  const instances: ServiceInstance[] = [];
  const readiness: Record<string, ReadinessCheck> = {
    nats: async () => {
      if (nats.isClosed()) throw new Error('NATS connection closed');
      await nats.flush();
    },
  };
  for (const module of modules) {
    // The combined schema already parsed everything once; hand each module its own keys, not a second parse.
    const moduleEnv = Object.fromEntries(Object.keys(module.env.shape).map((key) => [key, env[key]]));
    const instance = await module.create({
      broker,
      env: moduleEnv,
      durable,
      nats,
      logger: broker.getLogger(module.name),
      metrics,
    });
    instances.push(instance);
    for (const [name, check] of Object.entries(instance.readiness)) readiness[`${module.name}.${name}`] = check;
    for (const schema of instance.schemas) broker.createService(schema);
  }

  await broker.start();
  const health = await startHealthServer({
    host: env.HEALTH_HOST,
    port: env.HEALTH_PORT,
    checks: readiness,
    metrics: metrics.exposition,
  });
  logger.info(`${processName} started (${modules.map((module) => module.name).join(', ')}); health at ${health.url}`);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info(`${processName} stopping`);
      await health.close();
      await broker.stop();
      for (const instance of instances.reverse()) await instance.stop();
      await nats.drain().catch(() => nats.close());
      await tracing.shutdown();
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error('shutdown failed', error);
          process.exit(1);
        },
      );
    });
  }
  return { stop };
}

/**
 * `--migrate-only` (the Helm chart's migration Job): brings each module's schema to its latest
 * migration and exits, reading only the modules' database URLs: no NATS, Keycloak or other
 * setting is needed. Each migration runs in its own transaction, as at a normal start, so a later
 * start of the same version finds nothing to apply.
 */
async function migrateSchemas(processName: string, modules: readonly ServiceModule[]): Promise<void> {
  const env = loadConfigOrExit(
    z.object({
      LOG_LEVEL: logLevel,
      ...Object.fromEntries(modules.map((module) => [databaseUrlKey(module.name), postgresUrl])),
    }),
  ) as Record<string, string>;
  for (const module of modules) {
    const orm = await createServiceOrm({
      schema: module.name,
      databaseUrl: env[databaseUrlKey(module.name)] as string,
      migrations: module.migrations,
      poolMax: 1,
    });
    try {
      const applied = await migrateToLatest(orm);
      // One line per schema, for the Job's log: what changed, or that nothing had to.
      console.log(
        JSON.stringify({
          process: processName,
          schema: module.name,
          applied,
          msg: applied.length > 0 ? `applied ${applied.length} migrations` : 'up to date',
        }),
      );
    } finally {
      await orm.close();
    }
  }
}
