export * from './stack-env.ts';
export * from './processes.ts';
export * from './scratch-schema.ts';
export * from './private-nats.ts';
export * from './api-client.ts';
export { isolateTestDatabase } from './test-database.ts';
export * from './keycloak-users.ts';
// The SMTP capture needs no browser: e2e and integration suites read invitations with it too.
export { linksIn, mailboxOf, type CapturedMessage, type Mailbox } from './browser/mailbox.ts';
export * from './contract-caller.ts';
