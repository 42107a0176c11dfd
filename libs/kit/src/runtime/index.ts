export * from './service-module.ts';
export * from './status-action.ts';
export * from './run-service-process.ts';
export * from './service-store.ts';
