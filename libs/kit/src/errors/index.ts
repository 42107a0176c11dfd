export * from './domain-error.ts';
export * from './regenerator.ts';
