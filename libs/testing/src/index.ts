export * from './stack-env.ts';
export * from './processes.ts';
export * from './scratch-schema.ts';
export * from './private-nats.ts';
export * from './api-client.ts';
export { isolateTestDatabase } from './test-database.ts';
export * from './keycloak-users.ts';
