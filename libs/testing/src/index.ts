export * from './stack-env.ts';
export * from './processes.ts';
export * from './scratch-schema.ts';
export * from './private-nats.ts';
export * from './dev-tokens.ts';
