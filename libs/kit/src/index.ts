export * from './errors/index.ts';
export * from './broker/index.ts';
export * from './orm/index.ts';
export * from './durable/index.ts';
export * from './health/index.ts';
export * from './http/index.ts';
export * from './runtime/index.ts';
