export * from './domain-error.ts';
export * from './regenerator.ts';
export * from './data-exception.ts';
