export * from './models.ts';
export * from './errors.ts';
export * from './actions.ts';
