export * from './create-broker.ts';
export * from './logger.ts';
export * from './typed-call.ts';
