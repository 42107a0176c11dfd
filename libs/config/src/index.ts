export * from './load-config.ts';
export * from './fields.ts';
